/**
 * `--timeout` against an endpoint that accepts connections and never answers (issue 9, item 7):
 * plan gives up after the SDK's retries with an error naming the endpoint, instead of waiting for
 * ever. Before the fix this test was killed by runCli's 90-second guard.
 */
import {createServer, type Server, type Socket} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseTimeout} from '../../src/commands/_shared/command-flags.js'
import {runCli} from '../support/cli.js'

const CREDENTIALS = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_SESSION_TOKEN: undefined}

let server: Server
let endpoint: string
let connections = 0
const sockets = new Set<Socket>()

beforeAll(async () => {
  server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.resume() // read the request, answer nothing
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('a silent endpoint', () => {
  it('plan --timeout 1 fails after the retries, naming the endpoint, the call and the attempts', async () => {
    const result = await runCli(['plan', '--endpoint-url', endpoint, '--timeout', '1'], {env: CREDENTIALS, timeoutMs: 90_000})
    expect(result.stderr).toMatch(new RegExp(`The ECR API at ${endpoint.replace(/\./g, '\\.')} did not answer \\w+ within 1 s, 8 attempts in a row\\.`))
    expect(result.stderr).toContain('--timeout')
    expect(result.exitCode).toBe(1)
    expect(connections).toBeGreaterThanOrEqual(8)
  })
})

describe('--timeout values', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['45', 45_000],
    [' 1h ', 3_600_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseTimeout(text)).toBe(ms)
  })

  it.each(['0', '0s', '3601', '2h', '1d', '1.5', '30 s', 'soon', ''])('refuses %j', (text) => {
    expect(() => parseTimeout(text)).toThrow(/--timeout must be a duration from 1s to 1h/)
  })

  it('a bad --timeout is a usage error (exit 1)', async () => {
    const result = await runCli(['plan', '--timeout', 'soon', '--endpoint-url', endpoint], {env: CREDENTIALS})
    expect(result.stderr).toContain('--timeout must be a duration')
    expect(result.exitCode).toBe(1)
  })
})
