/**
 * Usage errors exit 1, never 2: `plan --detailed-exitcode` uses 2 for "changes present", so a CI
 * script must not read a typo as a plan with changes (issue 9, item 18).
 */
import {describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'

const LIVE = ['--live-state', 'examples/spaceport/live-state.json', '--now', '2025-02-01T00:00:00Z']

describe('usage errors', () => {
  it.each([
    [['plna'], /command plna not found/],
    [['lifecycle', 'previwe'], /not found/],
    [['help', 'plna'], /not found/],
    [['--bogus'], /not found/],
    [['plan', '--detailed-exitcode', '--bogus', ...LIVE], /Nonexistent flag: --bogus/],
    [['plan', '--detailed-exitcode', '--format', 'xml', ...LIVE], /Expected --format=xml to be one of/],
    [['plan', '--detailed-exitcode', '--concurrency', '0', ...LIVE], /--concurrency/],
    [['plan', '--detailed-exitcode', '--live-state'], /expects a value/],
    [['apply'], /Missing 1 required arg/],
    [['show', 'a.json', 'b.json'], /Unexpected argument: b\.json/],
  ])('ecrctl %j exits 1 with a message', async (args, message) => {
    const result = await runCli(args)
    expect(result.stderr).toMatch(message)
    expect(result.exitCode).toBe(1)
  })

  it('a plan with changes still exits 2 under --detailed-exitcode (the code the errors must not use)', async () => {
    const result = await runCli(['plan', '--detailed-exitcode', ...LIVE])
    expect(result.exitCode).toBe(2)
  })
})
