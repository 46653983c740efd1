/** The built CLI runs on the node that runs the tests (scripts/test-node-versions.mjs relies on it). */
import {describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'

describe('ecrctl --version', () => {
  it(`names the Node it runs on, the one running the tests (${process.version})`, async () => {
    const result = await runCli(['--version'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`node-${process.version}`)
  })
})
