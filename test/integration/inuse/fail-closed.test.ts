/**
 * Fail closed: a source that cannot be read completely stops the scan with an error naming the
 * source, the resource and the IAM action (or other fix). AWS denials cannot come from the
 * emulator, so a small local HTTP server in front of it answers AccessDeniedException for chosen
 * operations ("denying proxy" in the test names); throttling comes from the shared fault proxy,
 * a hung endpoint from a server that never answers.
 */
import {createServer, request as httpRequest, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {CreateClusterCommand} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import {createEcsClient, scanEcs} from '../../../src/registry/inuse/ecs.js'
import {scanAws} from '../../../src/registry/inuse/index.js'
import {createLambdaClient, scanLambda} from '../../../src/registry/inuse/lambda.js'
import {startEmulator, type Emulator} from '../../support/emulator.js'
import {startFaultProxy} from '../../support/fault-proxy.js'
import {ACCOUNT, REGION, connection, useTestCredentials} from './fixture.js'

let emulator: Emulator
const servers: Server[] = []

beforeAll(async () => {
  useTestCredentials()
  emulator = await startEmulator()
})
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  await emulator?.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

async function listen(server: Server): Promise<string> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/**
 * Forwards to the emulator, except requests `denied` picks (by X-Amz-Target operation or, for the
 * REST services, by path), which get AWS's AccessDeniedException in both error shapes (JSON
 * `__type` and the `x-amzn-errortype` header).
 */
async function startDenyingProxy(denied: (operation: string, path: string) => boolean): Promise<string> {
  return listen(
    createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? ''
        if (denied(operation, req.url ?? '')) {
          const message = `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform this action`
          const body = JSON.stringify({__type: 'AccessDeniedException', message, Message: message})
          res.writeHead(403, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException', 'content-length': Buffer.byteLength(body)})
          res.end(body)
          return
        }
        const target = new URL(emulator.endpoint)
        const upstream = httpRequest({host: target.hostname, port: target.port, method: req.method, path: req.url, headers: {...req.headers, host: target.host}}, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        upstream.end(Buffer.concat(chunks))
      })
    }),
  )
}

async function failure(promise: Promise<unknown>): Promise<EcrctlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(EcrctlError)
  return error as EcrctlError
}

describe('in-use scanners fail closed', () => {
  it('an access denied deep in a scan (denying proxy) names the source, the cluster and the IAM action', async () => {
    const setup = createEcsClient(connection(emulator.endpoint))
    await setup.send(new CreateClusterCommand({clusterName: 'prod'}))
    setup.destroy()
    const endpoint = await startDenyingProxy((operation) => operation === 'ListTasks')
    const ecs = createEcsClient(connection(endpoint))

    const error = await failure(scanEcs(ecs))
    ecs.destroy()

    expect(error.message).toBe(`Cannot scan ECS for images in use: access denied to ecs:ListTasks on arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod.`)
    expect(error.kind).toBe('environment')
    expect(error.exitCode).toBe(1)
    expect(error.format()).toContain('Grant the IAM action ecs:ListTasks to the identity ecrctl runs as')
    expect(error.format()).toContain('or remove `ecs` from `inUse.aws`')
  })

  it('a REST service denied (denying proxy) names lambda:ListFunctions', async () => {
    const endpoint = await startDenyingProxy((_operation, path) => path.startsWith('/2015-03-31/functions'))
    const lambda = createLambdaClient(connection(endpoint))

    const error = await failure(scanLambda(lambda))
    lambda.destroy()

    expect(error.message).toBe('Cannot scan Lambda for images in use: access denied to lambda:ListFunctions on all functions.')
  })

  it('AWS_ENDPOINT_URL_<SERVICE> sends one service elsewhere while --endpoint-url serves the rest (denying proxy)', async () => {
    const denying = await startDenyingProxy(() => true)
    process.env.AWS_ENDPOINT_URL_LAMBDA = denying
    try {
      // ECS and Batch read the (empty) emulator; Lambda goes to the denying proxy.
      const error = await failure(scanAws(['lambda', 'ecs', 'batch'], connection(emulator.endpoint)))
      expect(error.message).toBe('Cannot scan Lambda for images in use: access denied to lambda:ListFunctions on all functions.')
      await expect(scanAws(['ecs', 'batch'], connection(emulator.endpoint))).resolves.toEqual([])
    } finally {
      delete process.env.AWS_ENDPOINT_URL_LAMBDA
    }
  })

  it('scanAws reports the first failing source in source order, whatever finishes first', async () => {
    const endpoint = await startDenyingProxy(() => true)
    const error = await failure(scanAws(['stepfunctions', 'ecs', 'batch'], connection(endpoint)))
    expect(error.message).toBe('Cannot scan Batch for images in use: access denied to batch:DescribeJobDefinitions on all ACTIVE job definitions.')
  })

  it('throttling past the retries (fault proxy) says so, with the attempts made', async () => {
    const setup = createEcsClient(connection(emulator.endpoint))
    await setup.send(new CreateClusterCommand({clusterName: 'busy'}))
    setup.destroy()
    const proxy = await startFaultProxy({target: emulator.endpoint, faultRate: 1, faults: ['throttle'], faultOperations: ['ListServices']})
    const ecs = createEcsClient(connection(proxy.endpoint, {maxAttempts: 3}))
    try {
      const error = await failure(scanEcs(ecs))
      expect(error.message).toBe(`Cannot scan ECS for images in use: ecs:ListServices on arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/busy was still throttled after 3 attempts.`)
      expect(proxy.counts.ListServices).toBe(3)
    } finally {
      ecs.destroy()
      await proxy.stop()
    }
  })

  it('no region anywhere: one error saying how to set it, before any call', async () => {
    const saved = {AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE}
    delete process.env.AWS_REGION
    delete process.env.AWS_DEFAULT_REGION
    process.env.AWS_CONFIG_FILE = '/nonexistent/ecrctl-aws-config'
    try {
      const error = await failure(scanAws(['ecs', 'lambda'], {endpointUrl: emulator.endpoint}))
      expect(error.message).toBe('No AWS region configured.')
      expect(error.format()).toContain('Pass --region')
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
    }
  })

  it('an endpoint that never answers times out instead of hanging the plan', async () => {
    const silent = await listen(createServer(() => undefined))
    const ecs = createEcsClient(connection(silent, {timeoutMs: 300, maxAttempts: 1}))
    const started = Date.now()

    const error = await failure(scanEcs(ecs))
    ecs.destroy()

    expect(error.message).toBe('Cannot scan ECS for images in use: ecs:ListClusters on all clusters timed out (1 attempt).')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
