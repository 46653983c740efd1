/**
 * End to end: the built `ecrctl plan` and `ecrctl show` on the golden inputs, offline. These run the
 * real binary (test/support/cli.ts) so flag parsing, exit codes, stdout/stderr and lazy loading are
 * what a user gets.
 */
import {cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {computePlanChecksum} from '../../src/planfile/seal.js'
import type {PlanDocument} from '../../src/model/plan.js'
import {FORBID_AWS_SDK, REPO_ROOT, runCli} from '../support/cli.js'

const CASES = fileURLToPath(new URL('../golden/cases/', import.meta.url))
const caseDir = (name: string) => join(CASES, name)
const NOW = '2025-03-01T12:00:00Z'
const ESC = '\u001B['

/** Plan a golden case from inside its folder, as its args.json says. */
const planCase = (name: string, extra: string[] = [], options: Parameters<typeof runCli>[1] = {}) => {
  const defaults = ['-f', 'desired-state', '--live-state', 'live-state.json', '--now', NOW]
  const overridden = new Set(extra.filter((arg) => arg.startsWith('-')))
  const base = defaults.flatMap((arg, i) => (i % 2 === 0 && !overridden.has(arg) ? [arg, defaults[i + 1]!] : []))
  return runCli(['plan', ...base, ...extra], {cwd: caseDir(name), ...options})
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'ecrctl-e2e-'))

describe('ecrctl plan (offline)', () => {
  it('prints the same text as the golden case, without colour when stdout is not a terminal', async () => {
    const result = await planCase('keep-by-tag')
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(readFileSync(join(caseDir('keep-by-tag'), 'expected/plan.txt'), 'utf8'))
    expect(result.stdout).not.toContain(ESC)
  })

  it('prints the golden plan document with --format json (apart from the ecrctl version)', async () => {
    const result = await planCase('index-child', ['--format', 'json'])
    expect(result.exitCode).toBe(0)
    const printed = JSON.parse(result.stdout) as PlanDocument
    const expected = JSON.parse(readFileSync(join(caseDir('index-child'), 'expected/plan.json'), 'utf8')) as PlanDocument
    const {version} = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {version: string}
    expect(printed.ecrctlVersion).toBe(version)
    expect(computePlanChecksum(printed)).toBe(printed.checksum)
    const comparable = (doc: PlanDocument) => ({...doc, ecrctlVersion: 'any', checksum: 'any'})
    expect(comparable(printed)).toEqual(comparable(expected))
  })

  it('plans the bundled example from the repository root with the default -f desired-state/', async () => {
    const result = await runCli(['plan', '--live-state', 'examples/spaceport/live-state.json', '--now', '2025-02-01T00:00:00Z'])
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(readFileSync(join(caseDir('spaceport-example'), 'expected/plan.txt'), 'utf8'))
  })

  it('prints markdown with --format markdown', async () => {
    const result = await planCase('unmanaged', ['--format', 'markdown'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(readFileSync(join(caseDir('unmanaged'), 'expected/plan.md'), 'utf8'))
  })

  it('--detailed-exitcode: 2 with changes, 0 without, 1 on error; plain exit codes are 0 and 1', async () => {
    expect((await planCase('keep-by-tag', ['--detailed-exitcode'])).exitCode).toBe(2)
    expect((await planCase('nothing-to-delete', ['--detailed-exitcode'])).exitCode).toBe(0)
    expect((await planCase('keep-by-tag')).exitCode).toBe(0)
    const failed = await planCase('keep-by-tag', ['--detailed-exitcode', '--now', 'yesterday'])
    expect(failed.exitCode).toBe(1)
    expect(failed.stderr).toContain('--now "yesterday" is not an ISO-8601 time')
    // A usage error is an error too: oclif's own exit code 2 must not read as "changes present".
    const typo = await planCase('keep-by-tag', ['--detailed-exitcode', '--detailed-exitcod'])
    expect(typo.exitCode).toBe(1)
  })

  it('colours only when asked for a terminal: FORCE_COLOR does not bypass NO_COLOR and pipes stay plain', async () => {
    const result = await planCase('keep-by-tag', [], {env: {NO_COLOR: '1', FORCE_COLOR: '1'}})
    expect(result.stdout).not.toContain(ESC)
  })

  it('refuses a malformed desired state with exit 1, naming the file and line', async () => {
    const dir = tempDir()
    cpSync(caseDir('keep-by-tag'), dir, {recursive: true})
    writeFileSync(join(dir, 'desired-state/main.yaml'), 'version: 1\nrepositories:\n  web/frontend:\n    keeep:\n      - tag: prod\n')
    const result = await runCli(['plan', '-f', 'desired-state', '--live-state', 'live-state.json', '--now', NOW], {cwd: dir})
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/desired-state\/main\.yaml:4:\d+/)
    expect(result.stderr).toContain('keeep')
  })

  it('refuses a missing live-state file with exit 1', async () => {
    const result = await planCase('keep-by-tag', ['--live-state', 'nope.json'])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('nope.json')
  })

  it('refuses a plan whose lifecycle policy conflicts in one repository, and says what the rest would do', async () => {
    const dir = tempDir()
    const image = (n: number, tags: string[], sizeBytes: number) => ({
      digest: `sha256:${String(n).padStart(64, '0')}`,
      tags,
      pushedAt: `2025-01-0${n}T00:00:00.000Z`,
      sizeBytes,
    })
    const snapshot = {
      kind: 'ecrctl-live-snapshot',
      formatVersion: 1,
      takenAt: NOW,
      registry: {accountId: '123456789012', region: 'us-east-1'},
      repositories: [
        {name: 'app', lifecyclePolicy: null, imagesRead: true, images: [image(1, ['v1'], 1_000_000), image(2, ['v2'], 1_000_000), image(3, [], 5_000_000)]},
        {name: 'lib', lifecyclePolicy: null, imagesRead: true, images: [image(4, ['keep'], 2_000_000), image(5, ['old'], 3_000_000), image(6, [], 4_000_000)]},
      ],
    }
    writeFileSync(join(dir, 'live-state.json'), JSON.stringify(snapshot))
    writeFileSync(
      join(dir, 'desired.yaml'),
      [
        'version: 1',
        'repositories:',
        '  app:',
        '    keep:',
        '      - tag: "v*"',
        '    lifecycle:',
        '      rules:',
        '        - rulePriority: 1',
        '          selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 1}',
        '          action: {type: expire}',
        '  lib:',
        '    keep:',
        '      - tag: keep',
        '',
      ].join('\n'),
    )
    const result = await runCli(['plan', '-f', 'desired.yaml', '--live-state', 'live-state.json', '--now', NOW], {cwd: dir})
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/lifecycle policy of entry "app" \(desired\.yaml:6\) would expire .* the desired state keeps in app/)
    expect(result.stderr).toContain('Apart from the refused lifecycle policy, the plan would: delete 3 images (sum of image sizes 12.0 MB) in 2 repositories; keep 3.')
    expect(result.stderr).toMatch(/\n {2}app: delete 1, keep 2 \(sum of image sizes 5\.0 MB\); lifecycle policy refused\n/)
    expect(result.stderr).toMatch(/\n {2}lib: delete 2, keep 1 \(sum of image sizes 7\.0 MB\)\n/)
  })

  it('still writes a plan that exceeds maxDeletions, with a warning that apply will refuse it', async () => {
    const dir = tempDir()
    cpSync(caseDir('keep-by-tag'), dir, {recursive: true})
    const desired = readFileSync(join(dir, 'desired-state/main.yaml'), 'utf8')
    writeFileSync(join(dir, 'desired-state/main.yaml'), desired.replace('version: 1\n', 'version: 1\ndefaults:\n  maxDeletions: 2\n'))
    const result = await runCli(['plan', '--live-state', 'live-state.json', '--now', NOW, '-f', 'desired-state', '--out', 'plan.json'], {cwd: dir})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Warning: This plan deletes 3 images, more than maxDeletions (2) of the desired state; apply will refuse it.')
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as PlanDocument
    expect(saved.maxDeletions).toBe(2)
    expect(saved.actions).toHaveLength(3)

    const json = await runCli(['plan', '--live-state', 'live-state.json', '--now', NOW, '-f', 'desired-state', '--format', 'json'], {cwd: dir})
    expect(JSON.parse(json.stdout)).toEqual(saved)
    expect(json.stderr).toContain('more than maxDeletions (2)')
  })

  it('never loads the AWS SDK when planning offline (and the detector does catch an online plan)', async () => {
    const offline = await planCase('keep-by-tag', [], {nodeArgs: ['--import', FORBID_AWS_SDK]})
    expect(offline.stderr).toBe('')
    expect(offline.exitCode).toBe(0)
    expect(offline.stdout).toContain('Plan: delete 3 images')

    // Positive control: the same guard stops a plan that reads the registry.
    const online = await runCli(['plan', '-f', 'desired-state', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'], {
      cwd: caseDir('keep-by-tag'),
      nodeArgs: ['--import', FORBID_AWS_SDK],
      env: {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'},
    })
    expect(online.exitCode).not.toBe(0)
    expect(online.stderr).toContain('FORBIDDEN: the AWS SDK was imported')
  })
})

describe('ecrctl plan --out, then ecrctl show', () => {
  it('saves the plan, says how to apply it, and show renders it exactly as plan did', async () => {
    const dir = tempDir()
    const out = join(dir, 'plan.json')
    const planned = await planCase('keep-by-tag', ['--out', out])
    expect(planned.exitCode).toBe(0)
    expect(planned.stdout.endsWith(`\nSaved the plan to ${out}. Apply it with: ecrctl apply ${out}\n`)).toBe(true)
    expect(existsSync(out)).toBe(true)

    const text = await runCli(['show', out])
    expect(text.exitCode).toBe(0)
    expect(planned.stdout.startsWith(text.stdout)).toBe(true)

    const json = await runCli(['show', out, '--format', 'json'])
    expect(json.stdout).toBe(readFileSync(out, 'utf8'))

    const markdown = await runCli(['show', out, '--format', 'markdown'])
    expect(markdown.stdout).toBe(readFileSync(join(caseDir('keep-by-tag'), 'expected/plan.md'), 'utf8'))
  })

  it('sends the "saved" note to stderr when stdout is JSON, so the JSON stays parseable', async () => {
    const dir = tempDir()
    const out = join(dir, 'plan.json')
    const result = await planCase('keep-by-tag', ['--out', out, '--format', 'json'])
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(out, 'utf8')))
    expect(result.stderr).toContain(`Saved the plan to ${out}.`)
  })

  it('writes byte-identical plan files for identical inputs', async () => {
    const dir = tempDir()
    await planCase('newest', ['--out', join(dir, 'a.json')])
    await planCase('newest', ['--out', join(dir, 'b.json')])
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'))
  })

  it('show refuses a tampered plan, a truncated plan and a non-plan with exit 1', async () => {
    const dir = tempDir()
    const out = join(dir, 'plan.json')
    await planCase('keep-by-tag', ['--out', out])
    const original = readFileSync(out, 'utf8')
    const doc = JSON.parse(original) as PlanDocument
    const tampered = join(dir, 'tampered.json')
    writeFileSync(tampered, JSON.stringify({...doc, actions: doc.actions.slice(1)}, null, 2))
    const refusedTampered = await runCli(['show', tampered])
    expect(refusedTampered.exitCode).toBe(1)
    expect(refusedTampered.stdout).toBe('')
    expect(refusedTampered.stderr).toContain('tampered or corrupted: the checksum does not match its content')

    const truncated = join(dir, 'truncated.json')
    writeFileSync(truncated, original.slice(0, 200))
    const refusedTruncated = await runCli(['show', truncated])
    expect(refusedTruncated.exitCode).toBe(1)
    expect(refusedTruncated.stderr).toContain('truncated or corrupted')

    const refusedSnapshot = await runCli(['show', join(caseDir('keep-by-tag'), 'live-state.json')])
    expect(refusedSnapshot.exitCode).toBe(1)
    expect(refusedSnapshot.stderr).toContain('live-state.json is not an ecrctl plan')
    expect(refusedSnapshot.stderr).toContain('this is a live-state snapshot, which `ecrctl plan --live-state` reads')
  })

  it('refuses to write the plan through a symbolic link at --out, leaving the file behind it alone', async () => {
    const dir = tempDir()
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'precious\n')
    const link = join(dir, 'plan.json')
    symlinkSync(victim, link)
    const result = await planCase('keep-by-tag', ['--out', link])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(`Refusing to write the plan to ${link}: it is a symbolic link.`)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
  })
})
