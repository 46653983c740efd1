/**
 * Kubernetes, live: the images a kubeconfig context's cluster runs and would run, read with
 * `@kubernetes/client-node` (import this module lazily: it loads the client). Pods (containers,
 * init and ephemeral containers, and the digests the nodes pulled) and the pod templates of
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs, in all namespaces. Each
 * object becomes candidate strings exactly as `kubectl get … -A -o json` read from a file does
 * (src/inuse/kubernetes-file.ts), so evidence is the same whichever way a cluster is read.
 *
 * Fail closed: every list is read to its last page (limit/continue); a missing context, an
 * unreachable or slow API server, a Forbidden list or an answer that is not a list stops the read
 * with an error naming the context and, for Forbidden, the RBAC verb and resource to grant. Every
 * request is bounded in time.
 */
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, join} from 'node:path'
import {ApiException, AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, Observable, type ConfigurationOptions, type ObservableMiddleware} from '@kubernetes/client-node'
import {EcrctlError} from '../errors.js'
import {kubernetesObjectCandidates} from '../inuse/kubernetes-file.js'
import type {CandidateString} from '../model/in-use.js'

/** kubectl's default chunk size: a page of pods stays a few megabytes. */
export const DEFAULT_PAGE_SIZE = 500
export const DEFAULT_KUBERNETES_TIMEOUT_MS = 30_000

export interface KubernetesLiveOptions {
  /** The kubeconfig context to read (`kubectl config get-contexts`). */
  context: string
  /** kubeconfig files, as KUBECONFIG lists them; default KUBECONFIG, else ~/.kube/config (as kubectl). */
  kubeconfig?: string
  /** How long one list request may take; default 30 s. */
  timeoutMs?: number
  pageSize?: number
  env?: NodeJS.ProcessEnv
}

interface Page {
  items: unknown[]
  metadata?: {_continue?: string}
}

type ListCall = (apis: Apis, page: {limit: number; _continue?: string}, options: ConfigurationOptions<ObservableMiddleware>) => Promise<Page>

interface Apis {
  core: CoreV1Api
  apps: AppsV1Api
  batch: BatchV1Api
}

/** What is listed, with the RBAC rule that allows it (`list` on the resource, cluster-wide). */
export const KUBERNETES_LISTS: ReadonlyArray<{kind: string; group: string; resource: string; list: ListCall}> = [
  {kind: 'Pod', group: '', resource: 'pods', list: (apis, page, options) => apis.core.listPodForAllNamespaces(page, options)},
  {kind: 'Deployment', group: 'apps', resource: 'deployments', list: (apis, page, options) => apis.apps.listDeploymentForAllNamespaces(page, options)},
  {kind: 'StatefulSet', group: 'apps', resource: 'statefulsets', list: (apis, page, options) => apis.apps.listStatefulSetForAllNamespaces(page, options)},
  {kind: 'DaemonSet', group: 'apps', resource: 'daemonsets', list: (apis, page, options) => apis.apps.listDaemonSetForAllNamespaces(page, options)},
  // Old ReplicaSets are what `kubectl rollout undo` runs.
  {kind: 'ReplicaSet', group: 'apps', resource: 'replicasets', list: (apis, page, options) => apis.apps.listReplicaSetForAllNamespaces(page, options)},
  {kind: 'Job', group: 'batch', resource: 'jobs', list: (apis, page, options) => apis.batch.listJobForAllNamespaces(page, options)},
  {kind: 'CronJob', group: 'batch', resource: 'cronjobs', list: (apis, page, options) => apis.batch.listCronJobForAllNamespaces(page, options)},
]

/** The ClusterRole rules a context's identity needs, for docs and messages. */
export const KUBERNETES_RBAC_RULES = ['', 'apps', 'batch'].map((group) => ({
  apiGroups: [group],
  resources: KUBERNETES_LISTS.filter((list) => list.group === group).map((list) => list.resource),
  verbs: ['list'],
}))

/** Every candidate string of the context's cluster, in list order (pods first), then page and item order. */
export async function readKubernetesContext(options: KubernetesLiveOptions): Promise<CandidateString[]> {
  const {config, server} = loadContext(options)
  const apis: Apis = {core: config.makeApiClient(CoreV1Api), apps: config.makeApiClient(AppsV1Api), batch: config.makeApiClient(BatchV1Api)}
  const where = {context: options.context, server}
  const results = await Promise.allSettled(KUBERNETES_LISTS.map((list) => readList(apis, list, where, options)))
  // Every list settles first, then the first failure in list order: the same error on every run.
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) throw failed.reason
  return results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []))
}

interface Where {
  context: string
  server: string
}

async function readList(apis: Apis, list: (typeof KUBERNETES_LISTS)[number], where: Where, options: KubernetesLiveOptions): Promise<CandidateString[]> {
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE
  const timeoutMs = options.timeoutMs ?? DEFAULT_KUBERNETES_TIMEOUT_MS
  const candidates: CandidateString[] = []
  const seenTokens = new Set<string>()
  let token: string | undefined
  for (let pageNumber = 1; ; pageNumber++) {
    let page: Page
    try {
      page = await bounded((requestOptions) => list.list(apis, {limit, ...(token === undefined ? {} : {_continue: token})}, requestOptions), timeoutMs)
    } catch (error) {
      throw listError(error, list, where, timeoutMs)
    }
    if (!Array.isArray(page?.items)) throw incomplete(where, `the list of ${list.resource} (page ${pageNumber}) has no items`)
    const refuse = (problem: string) => incomplete(where, `the API server answered a malformed ${list.kind}: ${problem}`)
    for (const [index, item] of page.items.entries()) candidates.push(...kubernetesObjectCandidates(item, list.kind, `${list.resource} page ${pageNumber} item ${index}`, refuse))
    token = page.metadata?._continue || undefined
    if (token === undefined) return candidates
    // A server that hands back a token it gave before would page forever, or skip what lies between.
    if (seenTokens.has(token)) throw incomplete(where, `the list of ${list.resource} repeated a continue token`)
    seenTokens.add(token)
  }
}

class RequestTimeout extends Error {}

/** Runs one request with an abort signal that fires after `timeoutMs`, and gives up then even if the request does not notice. */
async function bounded<T>(call: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new RequestTimeout())
    }, timeoutMs)
  })
  const signal: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(controller.signal)
      return new Observable(Promise.resolve(context))
    },
    post: (context) => new Observable(Promise.resolve(context)),
  }
  try {
    return await Promise.race([call({middleware: [signal], middlewareMergeStrategy: 'append'}), expired])
  } finally {
    clearTimeout(timer)
  }
}

/** The kubeconfig files kubectl would read: KUBECONFIG's list (missing entries skipped, as kubectl does), else ~/.kube/config. */
function kubeconfigFiles(options: KubernetesLiveOptions): {files: string[]; described: string} {
  const env = options.env ?? process.env
  const listed = options.kubeconfig ?? env.KUBECONFIG
  if (listed) {
    const files = listed.split(delimiter).filter((file) => file.length > 0)
    return {files: files.filter((file) => existsSync(file)), described: options.kubeconfig ? files.join(delimiter) : `KUBECONFIG (${files.join(delimiter)})`}
  }
  const file = join(homedir(), '.kube', 'config')
  return {files: existsSync(file) ? [file] : [], described: file}
}

function loadContext(options: KubernetesLiveOptions): {config: KubeConfig; server: string} {
  const {files, described} = kubeconfigFiles(options)
  const fail = (problem: string, nextStep: string, cause?: unknown) =>
    new EcrctlError(`Cannot read Kubernetes context ${options.context}: ${problem}.`, {kind: 'user', nextSteps: [nextStep], ...(cause === undefined ? {} : {cause})})
  if (files.length === 0) throw fail(`no kubeconfig file found at ${described}`, 'Set KUBECONFIG to the kubeconfig that has this context, or create it (e.g. `aws eks update-kubeconfig --name <cluster> --alias <context>`).')
  const config = new KubeConfig()
  for (const [index, file] of files.entries()) {
    const next = index === 0 ? config : new KubeConfig()
    try {
      next.loadFromFile(file)
    } catch (error) {
      throw fail(`the kubeconfig ${file} cannot be read (${(error as Error).message})`, 'Fix the file (`kubectl config view` shows what kubectl makes of it).', error)
    }
    // Like kubectl: the first file that defines a name wins.
    if (next !== config) mergeKeepingFirst(config, next)
  }
  const context = config.getContextObject(options.context)
  if (!context) {
    const known = config.getContexts().map((c) => c.name)
    throw fail(
      `there is no such context in ${described}${known.length > 0 ? ` (it has ${known.join(', ')})` : ''}`,
      'Pass a context that `kubectl config get-contexts` lists, or set KUBECONFIG to the file that has it.',
    )
  }
  config.setCurrentContext(options.context)
  const server = config.getCluster(context.cluster)?.server
  if (!server) throw fail(`its cluster ${context.cluster} is not defined, or has no server`, 'Fix the context in the kubeconfig (`kubectl config view`).')
  return {config, server}
}

function mergeKeepingFirst(into: KubeConfig, from: KubeConfig): void {
  for (const cluster of from.clusters) if (!into.getCluster(cluster.name)) into.addCluster(cluster)
  for (const user of from.users) if (!into.getUser(user.name)) into.addUser(user)
  for (const context of from.contexts) if (!into.getContextObject(context.name)) into.addContext(context)
}

const whyItStops = 'A configured in-use source that cannot be read completely stops the scan: an unread page could hold the reference that keeps a production image.'

function incomplete(where: Where, problem: string): EcrctlError {
  return new EcrctlError(`Cannot read Kubernetes context ${where.context} (${where.server}): ${problem}.`, {
    kind: 'environment',
    detail: whyItStops,
    nextSteps: ['Retry; if it persists, read the cluster with `kubectl get pods -A -o json` and check what the API server answers.'],
  })
}

function listError(error: unknown, list: (typeof KUBERNETES_LISTS)[number], where: Where, timeoutMs: number): EcrctlError {
  if (error instanceof EcrctlError) return error
  const resource = list.group === '' ? list.resource : `${list.resource}.${list.group}`
  const what = `list ${resource} in all namespaces`
  const failure = (summary: string, nextStep: string, detail?: string) =>
    new EcrctlError(`Cannot read Kubernetes context ${where.context} (${where.server}): ${summary}.`, {
      kind: 'environment',
      detail: detail ?? whyItStops,
      nextSteps: [nextStep],
      cause: error,
    })
  if (error instanceof RequestTimeout) {
    return failure(`${what} did not answer within ${Math.round(timeoutMs / 1000)} s`, 'Check that the API server is reachable from here and retry; on a slow link allow each request more time with --timeout (e.g. --timeout 2m).')
  }
  if (error instanceof ApiException) {
    const status = error.code
    const reason = serverMessage(error.body)
    if (status === 403) {
      const group = list.group === '' ? '"" (the core group)' : `"${list.group}"`
      return failure(
        `forbidden to ${what}${reason ? ` (${reason})` : ''}`,
        `Grant the identity of context ${where.context} the RBAC verb "list" on resource "${list.resource}" in API group ${group}, cluster-wide ` +
          `(a ClusterRole bound by a ClusterRoleBinding; docs/in-use.md has the whole role); \`kubectl auth can-i list ${resource} -A --context ${where.context}\` checks it.`,
      )
    }
    if (status === 401) return failure(`the API server rejected the credentials (${what})`, `Refresh the credentials of context ${where.context} (for EKS, \`aws eks update-kubeconfig\` or \`aws sso login\`) and retry.`, reason)
    if (status === 410) return failure(`the list of ${resource} changed too much while it was paged (410 Gone: the continue token expired)`, 'Retry the scan.')
    if (status === 404) return failure(`the API server does not serve ${resource} (404)`, 'Check that the context points at a Kubernetes API server, version 1.21 or later (batch/v1 CronJobs).')
    return failure(`${what} failed with HTTP ${status}${reason ? ` (${reason})` : ''}`, 'Retry; if it persists, check the API server (`kubectl get --raw /readyz`).')
  }
  const cause = error as {name?: string; code?: string; type?: string; message?: string}
  if (cause?.name === 'AbortError') return listError(new RequestTimeout(), list, where, timeoutMs)
  if (cause?.type === 'system' || (typeof cause?.code === 'string' && /^E[A-Z]+$/.test(cause.code))) {
    return failure(`the API server is unreachable (${cause.code ?? cause.message})`, 'Check the context\'s server address and that it is reachable from here (VPN, private endpoint), then retry.', `${what}: ${cause.message ?? String(error)}`)
  }
  return failure(`${what} failed (${cause?.message ?? String(error)})`, 'Retry; if it persists, check the API server (`kubectl get --raw /readyz`).')
}

/** A Kubernetes Status object's message, if the body is one. */
function serverMessage(body: unknown): string | undefined {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return body.slice(0, 300) || undefined
    }
  }
  const message = (value as {message?: unknown} | undefined)?.message
  return typeof message === 'string' ? message.slice(0, 300) : undefined
}
