/**
 * Credentials a server echoes back (as AWS's SignatureDoesNotMatch quotes the canonical request),
 * and passwords in endpoint URLs, never reach stdout or stderr (issue 9, item 9). The server here
 * answers every call with that error, quoting the request's headers, a secret key in quotes and
 * a URL with a password.
 */
import {createServer, type Server} from 'node:http'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {freePort} from '../support/emulator.js'
import {runCli} from '../support/cli.js'

const ACCESS_KEY = 'ASIAQ3EGUBUO7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const TOKEN = `IQoJb3JpZ2luX2VjEXAMPLE${'AbCd1234+/'.repeat(20)}=`
const PASSWORD = 'hunter2pass'
const SECRETS = [ACCESS_KEY, SECRET, TOKEN, TOKEN.slice(0, 40), PASSWORD]
const CREDENTIALS = {AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN, AWS_REGION: 'us-east-1'}

let server: Server
let port: number
let requests = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++
    req.resume()
    req.on('end', () => {
      const message = [
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        `The Canonical String for this request should have been\n'POST\n/\n\nhost:${req.headers.host}\nx-amz-security-token:${req.headers['x-amz-security-token']}\n'`,
        `Authorization: ${req.headers.authorization}`,
        `Your secret access key is '${SECRET}'; retry via https://admin:${PASSWORD}@proxy.example.com`,
      ].join('\n')
      const body = JSON.stringify({__type: 'SignatureDoesNotMatch', message})
      res.writeHead(403, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'SignatureDoesNotMatch', 'content-length': Buffer.byteLength(body)})
      res.end(body)
    })
  })
  port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function expectNoSecrets(output: string): void {
  for (const secret of SECRETS) expect(output).not.toContain(secret)
}

describe('credentials echoed by the server', () => {
  it('plan prints the error without the access key id, secret, session token or password', async () => {
    const result = await runCli(['plan', '--endpoint-url', `http://admin:${PASSWORD}@127.0.0.1:${port}`], {env: CREDENTIALS})
    expect(requests).toBeGreaterThan(0)
    expect(result.exitCode).toBe(1)
    // The message itself is shown, with the credentials blanked out.
    expect(result.stderr).toContain('SignatureDoesNotMatch')
    expect(result.stderr).toContain('ASIA[REDACTED]')
    expect(result.stderr).toContain('x-amz-security-token:[REDACTED]')
    expect(result.stderr).toContain("'[REDACTED]'")
    expectNoSecrets(result.stdout + result.stderr)
  })
})

describe('passwords in endpoint URLs', () => {
  it('are not printed back when the endpoint from the environment is unreachable', async () => {
    const closed = await freePort()
    const result = await runCli(['plan', '--timeout', '2'], {env: {...CREDENTIALS, AWS_ENDPOINT_URL_ECR: `http://admin:${PASSWORD}@127.0.0.1:${closed}`}})
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(/127\.0\.0\.1/)
    expectNoSecrets(result.stdout + result.stderr)
  })

  it('are not quoted back by the --endpoint-url usage error', async () => {
    const result = await runCli(['plan', '--endpoint-url', `ftp://admin:${PASSWORD}@127.0.0.1:21`], {env: CREDENTIALS})
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('--endpoint-url must start with http:// or https://')
    expectNoSecrets(result.stdout + result.stderr)
  })
})
