/**
 * A small HTTP server that speaks the Kubernetes list endpoints ecrctl calls (pods, deployments,
 * statefulsets, daemonsets, replicasets, jobs, cronjobs, all namespaces), for tests of the live
 * Kubernetes reader: no API server can run on the test machine. It serves the given objects as API
 * lists do (items without their kind), pages them by `limit`/`continue`, records each request,
 * and can answer 403 Forbidden or another status, hang, or hand back a continue token twice.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** path → the kind it lists. */
export const LIST_ENDPOINTS: Record<string, string> = {
  '/api/v1/pods': 'Pod',
  '/apis/apps/v1/deployments': 'Deployment',
  '/apis/apps/v1/statefulsets': 'StatefulSet',
  '/apis/apps/v1/daemonsets': 'DaemonSet',
  '/apis/apps/v1/replicasets': 'ReplicaSet',
  '/apis/batch/v1/jobs': 'Job',
  '/apis/batch/v1/cronjobs': 'CronJob',
}

export interface ListServerBehaviour {
  forbid?: string
  hang?: string
  repeatToken?: string
  status?: {path: string; code: number}
}

export interface SeenRequest {
  path: string
  limit: string | null
  continueToken: string | null
  authorization: string | undefined
}

export interface KubernetesListServer {
  url: string
  behaviour: ListServerBehaviour
  seen: SeenRequest[]
  /** Forgets what was seen, answers normally again, and lets hung requests go. */
  reset(): void
  close(): Promise<void>
}

export async function startKubernetesListServer(objects: ReadonlyArray<{kind: string}>): Promise<KubernetesListServer> {
  const hung: IncomingMessage[] = []
  const state: Pick<KubernetesListServer, 'behaviour' | 'seen'> = {behaviour: {}, seen: []}
  const server: Server = createServer((request, response) => {
    const requested = new URL(request.url ?? '/', 'http://localhost')
    const path = requested.pathname
    const {behaviour} = state
    state.seen.push({path, limit: requested.searchParams.get('limit'), continueToken: requested.searchParams.get('continue'), authorization: request.headers.authorization})
    const status = (code: number, reason: string, message: string) => {
      response.writeHead(code, {'content-type': 'application/json'})
      response.end(JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code}))
    }
    const kind = LIST_ENDPOINTS[path]
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
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get behaviour() {
      return state.behaviour
    },
    set behaviour(value) {
      state.behaviour = value
    },
    seen: state.seen,
    reset() {
      state.behaviour = {}
      state.seen.length = 0
      for (const request of hung.splice(0)) request.socket.destroy()
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A kubeconfig file with contexts prod-eks and staging on `server`, a bearer token, plain HTTP allowed. */
export function writeKubeconfig(server: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ecrctl-kube-')), 'config')
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: test-cluster',
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
