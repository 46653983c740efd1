/**
 * The emulator harness fails loudly, with the install command, when python3 or moto is missing:
 * integration tests must never skip silently.
 */
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {startEmulator} from '../support/emulator.js'

describe('startEmulator', () => {
  it('says how to install moto when python3 is not found', async () => {
    const error = await startEmulator({env: {PATH: '/nonexistent-bin'}}).catch((e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/could not be started: spawn python3 ENOENT/)
    expect((error as Error).message).toContain("pip install 'moto[server]==5.2.1'")
  })

  it('reports the emulator’s stderr when moto is not the expected one', async () => {
    const fake = mkdtempSync(join(tmpdir(), 'fake-moto-'))
    mkdirSync(join(fake, 'moto'))
    writeFileSync(join(fake, 'moto', '__init__.py'), '__version__ = "0.0.1"\n')
    const error = await startEmulator({env: {PYTHONPATH: fake}}).catch((e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/exited before it was ready/)
    expect((error as Error).message).toContain("pip install 'moto[server]==5.2.1'")
    expect((error as Error).message).toMatch(/Emulator stderr:\n[\s\S]*moto/)
  })

  it('starts, answers the clock hook, and stops', async () => {
    const emulator = await startEmulator()
    try {
      const clock = await emulator.setClock({now: 1_767_225_600})
      expect(Math.round(clock.now)).toBe(1_767_225_600)
    } finally {
      await emulator.stop()
    }
    await expect(fetch(`${emulator.endpoint}/_moto_ext/clock`)).rejects.toThrow()
  })
})
