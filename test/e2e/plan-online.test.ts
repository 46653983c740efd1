/**
 * End to end against a live ECR API (our emulator): `ecrctl plan --endpoint-url` on the example
 * registry gives the same plan as the offline golden case planned from its snapshot.
 */
import {lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadExampleRegistry} from '../../examples/spaceport/load.mjs'
import type {PlanDocument} from '../../src/model/plan.js'
import {startBackend, requireHooks} from '../support/backend.js'
import {runCli} from '../support/cli.js'
import type {Emulator} from '../support/emulator.js'

const GOLDEN = fileURLToPath(new URL('../golden/cases/spaceport-example/expected/', import.meta.url))
const AWS_ENV = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined}

let backend: Emulator

beforeAll(async () => {
  backend = requireHooks(await startBackend())
  await loadExampleRegistry(backend.endpoint)
})
afterAll(async () => {
  await backend?.stop()
})

describe('ecrctl plan (online)', () => {
  it('reads the registry through --endpoint-url and plans exactly what the offline snapshot plans', async () => {
    const args = ['plan', '--endpoint-url', backend.endpoint, '--region', 'us-east-1', '--now', '2025-02-01T00:00:00Z']
    const json = await runCli([...args, '--format', 'json'], {env: AWS_ENV})
    expect(json.stderr).toBe('')
    expect(json.exitCode).toBe(0)
    const online = JSON.parse(json.stdout) as PlanDocument
    const offline = JSON.parse(readFileSync(`${GOLDEN}plan.json`, 'utf8')) as PlanDocument
    const comparable = (doc: PlanDocument) => ({...doc, ecrctlVersion: 'any', checksum: 'any'})
    expect(comparable(online)).toEqual(comparable(offline))

    const text = await runCli([...args, '--detailed-exitcode'], {env: AWS_ENV})
    expect(text.exitCode).toBe(2)
    expect(text.stdout).toBe(readFileSync(`${GOLDEN}plan.txt`, 'utf8'))
  })

  it('fails with exit 1 and a clear message when the endpoint does not answer', async () => {
    const result = await runCli(['plan', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1', '--detailed-exitcode'], {
      env: {...AWS_ENV, AWS_MAX_ATTEMPTS: '1'},
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^Error: /)
    expect(result.stderr).toContain('127.0.0.1:9')
  })
})

describe('ecrctl snapshot --out (online)', () => {
  it('writes the snapshot, and refuses a symbolic link at --out without touching the file behind it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecrctl-snapshot-out-'))
    const args = ['snapshot', '--all', '--endpoint-url', backend.endpoint, '--region', 'us-east-1', '--manifests', 'references']
    const out = join(dir, 'live.json')
    const written = await runCli([...args, '--out', out], {env: AWS_ENV})
    expect(written.exitCode, written.stderr).toBe(0)
    expect(JSON.parse(readFileSync(out, 'utf8')).kind).toBe('ecrctl-live-snapshot')

    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'precious\n')
    const link = join(dir, 'link.json')
    symlinkSync(victim, link)
    const refused = await runCli([...args, '--out', link], {env: AWS_ENV})
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain(`Refusing to write the snapshot to ${link}: it is a symbolic link.`)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'live.json', 'victim.txt'])
  })
})
