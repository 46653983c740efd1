/**
 * The Node version the suite runs on. scripts/test-node-versions.mjs runs the whole suite once per
 * supported major and sets ECRCTL_TEST_NODE_VERSION to the node it put first on PATH; the test's
 * name carries the version this worker really runs on, which the script reads back from vitest's
 * JSON report, so a run that silently fell back to another node is caught twice.
 */
import {describe, expect, it} from 'vitest'

describe('the Node runtime under test', () => {
  it(`runs on Node ${process.version}`, () => {
    const expected = process.env.ECRCTL_TEST_NODE_VERSION
    if (expected !== undefined) expect(process.version).toBe(expected)
    const [major, minor] = process.versions.node.split('.').map(Number)
    // package.json's engines: >=20.19.
    expect(major! > 20 || (major === 20 && minor! >= 19)).toBe(true)
  })
})
