/**
 * Apply when the registry quotes credentials back in an error (issue 9, item 9): the proxy answers
 * BatchDeleteImage with AWS's SignatureDoesNotMatch, which quotes the canonical request (session
 * token included) and the Authorization header (access key id), plus a quoted secret key. stdout,
 * stderr and the audit log must hold none of them, in text and in JSON output alike.
 */
import {readFile} from 'node:fs/promises'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createRepository, pushImage} from '../support/push.js'
import {startApplyFixture, type ApplyFixture} from './apply-fixture.js'

const ACCESS_KEY = 'ASIAQ3EGUBUO7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const TOKEN = `IQoJb3JpZ2luX2VjEXAMPLE${'AbCd1234+/'.repeat(20)}=`
const CREDENTIALS = {AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN}

let fx: ApplyFixture
beforeAll(async () => {
  fx = await startApplyFixture()
})
afterAll(async () => {
  await fx?.stop()
})

describe('apply when the registry echoes credentials', () => {
  it.each([['text'], ['json']])('writes none of them (--format %s)', async (format) => {
    await fx.reset()
    const repository = `echo-${format}`
    await createRepository(fx.client, repository)
    await pushImage(fx.client, repository, {seed: `${repository}-keep`, tags: ['keep-1']})
    await pushImage(fx.client, repository, {seed: `${repository}-old`, tags: ['old-1']})
    await fx.writeDesired(`version: 1\nrepositories:\n  ${repository}:\n    keep:\n      - tag: "keep-*"\n`)
    const plan = await fx.plan()
    expect(plan.code, plan.stderr).toBe(0)

    fx.proxy.configure({faultRate: 1, faults: ['signatureMismatch'], faultOperations: ['BatchDeleteImage'], echo: `secret key: '${SECRET}'`})
    let result
    try {
      result = await fx.apply(['--auto-approve', '--format', format], CREDENTIALS)
    } finally {
      fx.proxy.configure({faultRate: 0, faults: undefined, faultOperations: undefined, echo: undefined})
    }
    expect(fx.proxy.faultsInjected.signatureMismatch).toBeGreaterThan(0)
    expect(result.code, result.stderr).toBe(1)
    const auditLog = await readFile(fx.auditLogPath, 'utf8')
    // The failure is recorded, with the message, blanked where it quoted credentials.
    expect(auditLog).toContain('SignatureDoesNotMatch')
    expect(auditLog).toContain('x-amz-security-token:[REDACTED]')
    expect(auditLog).toContain('ASIA[REDACTED]')
    for (const output of [result.stdout, result.stderr, auditLog]) {
      for (const secret of [ACCESS_KEY, SECRET, TOKEN, TOKEN.slice(0, 40)]) expect(output).not.toContain(secret)
    }
    expect(result.stdout).toContain('SignatureDoesNotMatch')
  })
})
