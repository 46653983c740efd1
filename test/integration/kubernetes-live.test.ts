/**
 * The live Kubernetes reader against a small HTTP server that speaks the Kubernetes list
 * endpoints ("list-endpoint server" in the test names): no API server can run here. The server
 * serves the objects of the kubectl fixtures the file reader is tested with, pages them by
 * `limit`/`continue` as the API server does, and can answer 403 Forbidden, hang, or repeat a
 * continue token. What it proves: the client calls the right endpoints, pages to the end, sends
 * the context's credentials, turns every object into the same candidates as the file reader, and
 * fails closed with a message naming the context and the RBAC rule.
 */
import {readFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {EcrctlError} from '../../src/errors.js'
import {kubernetesCandidates} from '../../src/inuse/kubernetes-file.js'
import {readKubernetesContext, type KubernetesLiveOptions} from '../../src/kubernetes/live.js'
import type {CandidateString} from '../../src/model/in-use.js'
import {LIST_ENDPOINTS, startKubernetesListServer, writeKubeconfig, type KubernetesListServer} from '../support/kubernetes-list-server.js'

const fixture = (name: string) => readFileSync(new URL(`../unit/inuse/fixtures/${name}`, import.meta.url), 'utf8')
const objects = [...JSON.parse(fixture('kubectl-pods.json')).items, ...JSON.parse(fixture('kubectl-workloads.json')).items] as Array<{kind: string}>

let server: KubernetesListServer

beforeAll(async () => {
  server = await startKubernetesListServer(objects)
})
afterEach(() => server.reset())
afterAll(() => server.close())

const read = (options: Partial<KubernetesLiveOptions> = {}) => readKubernetesContext({context: 'prod-eks', kubeconfig: writeKubeconfig(server.url), timeoutMs: 5_000, ...options})
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
    expect(server.seen.map((s) => s.path).sort()).toEqual(Object.keys(LIST_ENDPOINTS).sort())
    expect(server.seen.every((s) => s.authorization === 'Bearer test-token-123' && s.limit === '500')).toBe(true)
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
    const pods = server.seen.filter((s) => s.path === '/api/v1/pods')
    expect(pods.map((s) => [s.limit, s.continueToken])).toEqual([
      ['1', null],
      ['1', '1'],
      ['1', '2'],
    ])
    expect(paged.map(key).sort()).toEqual((await read()).map(key).sort())
  })

  it('fails closed on 403 Forbidden, naming the context, the verb, the resource and its API group', async () => {
    server.behaviour = {forbid: '/apis/apps/v1/deployments'}
    const message = await failure(read())
    expect(message).toContain('Cannot read Kubernetes context prod-eks')
    expect(message).toContain('forbidden to list deployments.apps in all namespaces')
    expect(message).toContain('cannot list resource "deployments" at the cluster scope')
    expect(message).toContain('the RBAC verb "list" on resource "deployments" in API group "apps"')
    expect(message).toContain('kubectl auth can-i list deployments.apps -A --context prod-eks')
  })

  it('names the core group for pods', async () => {
    server.behaviour = {forbid: '/api/v1/pods'}
    expect(await failure(read())).toContain('"list" on resource "pods" in API group "" (the core group)')
  })

  it('fails closed on an expired continue token (410) and on a repeated one', async () => {
    server.behaviour = {status: {path: '/apis/batch/v1/jobs', code: 410}}
    expect(await failure(read())).toContain('the list of jobs.batch changed too much while it was paged')
    server.behaviour = {repeatToken: '/api/v1/pods'}
    expect(await failure(read({pageSize: 1}))).toContain('the list of pods repeated a continue token')
  })

  it('bounds every request in time', async () => {
    server.behaviour = {hang: '/apis/batch/v1/cronjobs'}
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
    const message = await failure(read({kubeconfig: writeKubeconfig(`http://127.0.0.1:${port}`)}))
    expect(message).toContain(`Cannot read Kubernetes context prod-eks (http://127.0.0.1:${port}): the API server is unreachable (ECONNREFUSED)`)
  })
})
