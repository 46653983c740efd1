import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import Validate from '../../../src/commands/validate.js'

let dir: string
let out: string[]
let err: string[]

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrctl-validate-'))
  out = []
  err = []
  // oclif's this.log goes through console.log; errors are written to stderr directly.
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(`${args.join(' ')}\n`))
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true))
})

afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, {recursive: true, force: true})
})

/** Runs the command as the CLI would; returns the exit code. */
async function run(argv: string[]): Promise<number> {
  try {
    await Validate.run(argv, {root: process.cwd()})
    return 0
  } catch (error) {
    const code = (error as {oclif?: {exit?: number}}).oclif?.exit
    if (code === undefined) throw error
    return code
  }
}

describe('ecrctl validate', () => {
  it('summarises a valid desired state and exits 0', async () => {
    const file = join(dir, 'ok.yaml')
    await writeFile(file, 'version: 1\nrepositories:\n  a: {keep: [{tag: x}, {tag: y}]}\n  "b/*": {keep: [{tag: z}]}\n')
    expect(await run(['-f', file])).toBe(0)
    expect(out.join('')).toMatch(/^✓ 2 repository entries, 3 keep rules in .*ok\.yaml\n$/)
  })

  it('lists every error with file:line:column and exits 1', async () => {
    const file = join(dir, 'bad.yaml')
    await writeFile(file, 'version: 1\nrepositories:\n  a:\n    keeep: []\n')
    expect(await run(['-f', file])).toBe(1)
    expect(err.join('')).toContain('bad.yaml:4:5: repositories.a: unknown key "keeep" (did you mean "keep"?)')
    expect(out.join('')).toBe('')
  })
})
