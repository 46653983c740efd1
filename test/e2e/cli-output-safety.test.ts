/**
 * What the CLI writes to a terminal: no raw control characters from names or file content.
 */
import {describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

describe('error messages', () => {
  it('show an escape sequence in a file name as text, not raw', async () => {
    const result = await runCli(['show', 'plan\u001B]0;pwned\u0007\u001B[2J.json'])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('plan\\x1B]0;pwned\\x07\\x1B[2J.json')
    expect(result.stderr).not.toMatch(RAW)
  })
})
