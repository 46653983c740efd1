/**
 * The live Kubernetes reader against a small HTTP server that speaks the Kubernetes list
 * endpoints ("list-endpoint server" in the test names): no API server can run here. The server
 * serves the objects of the kubectl fixtures the file reader is tested with, pages them by
 * `limit`/`continue` as the API server does, and can answer 403 Forbidden, hang, or repeat a
 * continue token. What it proves: the client calls the right endpoints, pages to the end, sends
 * the context's credentials, turns every object into the same candidates as the file reader, and
 * fails closed with a message naming the context and the RBAC rule.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {EcrctlError} from '../../src/errors.js'
import {kubernetesCandidates} from '../../src/inuse/kubernetes-file.js'
import {readKubernetesContext, type KubernetesLiveOptions} from '../../src/kubernetes/live.js'
import type {CandidateString} from '../../src/model/in-use.js'

const fixture = (name: string) => readFileSync(new URL(`../unit/inuse/fixtures/${name}`, import.meta.url), 'utf8')
const objects = [...JSON.parse(fixture('kubectl-pods.json')).items, ...JSON.parse(fixture('kubectl-workloads.json')).items] as Array<{kind: string}>

/** path → the kind it lists. */
const ENDPOINTS: Record<string, string> = {
  '/api/v1/pods': 'Pod',
  '/apis/apps/v1/deployments': 'Deployment',
  '/apis/apps/v1/statefulsets': 'StatefulSet',
  '/apis/apps/v1/daemonsets': 'DaemonSet',
  '/apis/apps/v1/replicasets': 'ReplicaSet',
  '/apis/batch/v1/jobs': 'Job',
  '/apis/batch/v1/cronjobs': 'CronJob',
}

interface Behaviour {
  forbid?: string
  hang?: string
  repeatToken?: string
  status?: {path: string; code: number}
}

interface Seen {
  path: string
  limit: string | null
  continueToken: string | null
  authorization: string | undefined
}

let server: Server
let url: string
let behaviour: Behaviour = {}
const seen: Seen[] = []
const hung: IncomingMessage[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    const requested = new URL(request.url ?? '/', 'http://localhost')
    const path = requested.pathname
    seen.push({path, limit: requested.searchParams.get('limit'), continueToken: requested.searchParams.get('continue'), authorization: request.headers.authorization})
    const status = (code: number, reason: string, message: string) => {
      response.writeHead(code, {'content-type': 'application/json'})
      response.end(JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code}))
    }
    const kind = ENDPOINTS[path]
    if (!kind) return status(404, 'NotFound', 'the server could not find the requested resource')
    if (behaviour.hang === path) return void hung.push(request)
    if (behaviour.forbid === path) {
      const resource = path.split('/').pop()
      return status(403, 'Forbidden', `${resource} is forbidden: User "system:serviceaccount:ci:ecrctl" cannot list resource "${resource}" at the cluster scope`)
    }
    if (behaviour.status?.path === path) return status(behaviour.status.code, 'Expired', 'The provided continue parameter is too old')
    const items = objects.filter((object) => object.kind === kind).map(({kind: _omitted, ...item}) => item) // API lists leave out each item's kind
    const limit = Number(requested.searchParams.get('limit') ?? items.length) || items.length
    const offset = Number(requested.searchParams.get('continue') ?? 0)
    const next = offset + limit < items.length ? String(offset + limit) : undefined
    const token = behaviour.repeatToken === path ? (next ? '1' : undefined) : next
    response.writeHead(200, {'content-type': 'application/json'})
    response.end(JSON.stringify({kind: `${kind}List`, apiVersion: 'v1', metadata: {resourceVersion: '42', ...(token ? {continue: token} : {})}, items: items.slice(offset, offset + limit)}))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterEach(() => {
  behaviour = {}
  seen.length = 0
  for (const request of hung.splice(0)) request.socket.destroy()
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

function kubeconfig(server: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'ecrctl-kube-'))
  const file = join(directory, 'config')
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: test-cluster`,
      // The client refuses plain HTTP unless TLS checks are off; this server speaks plain HTTP.
      `  cluster: {server: "${server}", insecure-skip-tls-verify: true}`,
      'users:',
      '- name: reader',
      '  user: {token: test-token-123}',
      'contexts:',
      '- name: prod-eks',
      '  context: {cluster: test-cluster, user: reader}',
      '- name: staging',
      '  context: {cluster: test-cluster, user: reader}',
      'current-context: staging',
      '',
    ].join('\n'),
  )
  return file
}

const read = (options: Partial<KubernetesLiveOptions> = {}) => readKubernetesContext({context: 'prod-eks', kubeconfig: kubeconfig(url), timeoutMs: 5_000, ...options})
const key = (c: CandidateString) => `${c.evidence.resource} ${c.evidence.field} ${c.value} ${c.exact}`

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(EcrctlError)
    return (error as EcrctlError).format()
  }
  throw new Error('expected the read to fail')
}

describe('readKubernetesContext against a list-endpoint server', () => {
  it('lists pods and the five workload kinds (and ReplicaSets) in all namespaces, with the context credentials', async () => {
    await read()
    expect(seen.map((s) => s.path).sort()).toEqual(Object.keys(ENDPOINTS).sort())
    expect(seen.every((s) => s.authorization === 'Bearer test-token-123' && s.limit === '500')).toBe(true)
  })

  it('gives the same candidates as the file reader given the same objects', async () => {
    const live = await read()
    const fromFiles = [...kubernetesCandidates(fixture('kubectl-pods.json'), 'pods.json'), ...kubernetesCandidates(fixture('kubectl-workloads.json'), 'workloads.json')]
    expect(live.map(key).sort()).toEqual(fromFiles.map(key).sort())
    expect(live.map(key)).toContain('ml/sfm-worker-0 status.containerStatuses[0].imageID 123456789012.dkr.ecr.us-east-1.amazonaws.com/spaceport/sfm@sha256:' + '4'.repeat(64) + ' true')
    expect(live.map(key)).toContain('CronJob/ml/nightly-compress spec.jobTemplate.spec.template.spec.containers[0].image 123456789012.dkr.ecr.us-east-1.amazonaws.com/spaceport/compressor@sha256:' + '5'.repeat(64) + ' true')
  })

  it('pages every list to its end with limit and continue', async () => {
    const paged = await read({pageSize: 1})
    const pods = seen.filter((s) => s.path === '/api/v1/pods')
    expect(pods.map((s) => [s.limit, s.continueToken])).toEqual([
      ['1', null],
      ['1', '1'],
      ['1', '2'],
    ])
    expect(paged.map(key).sort()).toEqual((await read()).map(key).sort())
  })

  it('fails closed on 403 Forbidden, naming the context, the verb, the resource and its API group', async () => {
    behaviour = {forbid: '/apis/apps/v1/deployments'}
    const message = await failure(read())
    expect(message).toContain('Cannot read Kubernetes context prod-eks')
    expect(message).toContain('forbidden to list deployments.apps in all namespaces')
    expect(message).toContain('cannot list resource "deployments" at the cluster scope')
    expect(message).toContain('the RBAC verb "list" on resource "deployments" in API group "apps"')
    expect(message).toContain('kubectl auth can-i list deployments.apps -A --context prod-eks')
  })

  it('names the core group for pods', async () => {
    behaviour = {forbid: '/api/v1/pods'}
    expect(await failure(read())).toContain('"list" on resource "pods" in API group "" (the core group)')
  })

  it('fails closed on an expired continue token (410) and on a repeated one', async () => {
    behaviour = {status: {path: '/apis/batch/v1/jobs', code: 410}}
    expect(await failure(read())).toContain('the list of jobs.batch changed too much while it was paged')
    behaviour = {repeatToken: '/api/v1/pods'}
    expect(await failure(read({pageSize: 1}))).toContain('the list of pods repeated a continue token')
  })

  it('bounds every request in time', async () => {
    behaviour = {hang: '/apis/batch/v1/cronjobs'}
    const message = await failure(read({timeoutMs: 1_000}))
    expect(message).toContain('list cronjobs.batch in all namespaces did not answer within 1 s')
  })

  it('fails closed when the context is missing, listing the contexts there are', async () => {
    const message = await failure(read({context: 'prod-eu'}))
    expect(message).toContain('Cannot read Kubernetes context prod-eu: there is no such context in')
    expect(message).toContain('(it has prod-eks, staging)')
  })

  it('fails closed when there is no kubeconfig at all, or the cluster is unreachable', async () => {
    expect(await failure(read({kubeconfig: join(tmpdir(), 'no-such-kubeconfig')}))).toContain('no kubeconfig file found')
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const message = await failure(read({kubeconfig: kubeconfig(`http://127.0.0.1:${port}`)}))
    expect(message).toContain(`Cannot read Kubernetes context prod-eks (http://127.0.0.1:${port}): the API server is unreachable (ECONNREFUSED)`)
  })
})
