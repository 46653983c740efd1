/**
 * Kubernetes from a file: the JSON `kubectl get pods -A -o json` and
 * `kubectl get deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs -A -o json` print
 * (a `List`, an API `…List`, or one object) → the image strings of every container.
 *
 * Per pod: `image` of containers, init containers and ephemeral containers, and the digest the node
 * actually pulled (`status.*ContainerStatuses[].imageID`: kept even after the tag moved). Per
 * workload: the pod template's images (what the next pod, or a rollback to an old ReplicaSet, runs).
 * Other kinds in a list (`kubectl get all` has Services) are ignored; a malformed image field is
 * refused, naming the object, because half-reading a cluster could delete what it runs.
 */
import {EcrctlError} from '../errors.js'
import type {CandidateString} from '../model/in-use.js'

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
}
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const
const STATUS_LISTS = ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'] as const
/** Runtime prefixes of `imageID` (dockershim wrote `docker-pullable://`). */
const IMAGE_ID_SCHEMES = ['docker-pullable://', 'docker://']

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

export function kubernetesCandidates(text: string, file: string): CandidateString[] {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw refusal(file, `it is not valid JSON (${(error as Error).message})`, error)
  }
  if (!isObject(document) || typeof document.kind !== 'string') throw refusal(file, 'it has no "kind": it is not a Kubernetes object or list')
  const listKind = document.kind
  if (!listKind.endsWith('List')) {
    if (!(listKind in POD_SPEC_PATHS)) throw refusal(file, `it is a ${listKind}, which runs no containers`)
    return kubernetesObjectCandidates(document, listKind, '(top level)', (problem) => refusal(file, problem))
  }
  if (!Array.isArray(document.items)) throw refusal(file, `its "items" is not an array`)
  const refuse = (problem: string) => refusal(file, problem)
  // API lists (PodList) leave out each item's kind; kubectl's `List` sets it.
  const itemKind = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length)
  return document.items.flatMap((item, index) => {
    const at = `items[${index}]`
    if (!isObject(item)) throw refuse(`${at} is not an object`)
    const kind = typeof item.kind === 'string' ? item.kind : itemKind
    return kind !== undefined && kind in POD_SPEC_PATHS ? kubernetesObjectCandidates(item, kind, at, refuse) : []
  })
}

/**
 * One object's image strings (a Pod, or a workload's pod template), as read from a file or live
 * from a cluster (src/kubernetes). `at` says where the object is (`items[3]`, a page of a list);
 * `refuse` words a malformed object as an error of the caller's source.
 */
export function kubernetesObjectCandidates(object: unknown, kind: string, at: string, refuse: (problem: string) => EcrctlError): CandidateString[] {
  if (!isObject(object)) throw refuse(`${at} is not an object`)
  const metadata = isObject(object.metadata) ? object.metadata : {}
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)'
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : 'default'
  const resource = kind === 'Pod' ? `${namespace}/${name}` : `${kind}/${namespace}/${name}`
  const where = `${at} (${resource})`
  const candidates: CandidateString[] = []
  const add = (value: string, field: string) => candidates.push({value, exact: true, evidence: {source: 'kubernetes', resource, field}})

  const specPath = POD_SPEC_PATHS[kind]!
  let spec: unknown = object
  for (const key of specPath) spec = isObject(spec) ? spec[key] : undefined
  const specField = specPath.join('.')
  if (!isObject(spec)) throw refuse(`${where} has no ${specField}`)
  for (const list of CONTAINER_LISTS) {
    for (const [index, container] of arrayAt(spec, list, `${where} ${specField}`, refuse).entries()) {
      const field = `${specField}.${list}[${index}].image`
      const image = isObject(container) ? container.image : undefined
      // An ephemeral or init container without an image cannot run; a present one must be text.
      if (image === undefined && list !== 'containers') continue
      if (typeof image !== 'string') throw refuse(`${where} ${field} is not a string`)
      add(image, field)
    }
  }
  if (kind === 'Pod' && isObject(object.status)) {
    for (const list of STATUS_LISTS) {
      for (const [index, status] of arrayAt(object.status, list, `${where} status`, refuse).entries()) {
        const imageId = isObject(status) ? status.imageID : undefined
        // Empty until the image is pulled; a bare `sha256:` ID names no repository.
        if (typeof imageId !== 'string' || imageId === '') continue
        const scheme = IMAGE_ID_SCHEMES.find((prefix) => imageId.startsWith(prefix))
        const value = scheme ? imageId.slice(scheme.length) : imageId
        if (value.includes('@')) add(value, `status.${list}[${index}].imageID`)
      }
    }
  }
  return candidates
}

function arrayAt(parent: Json, key: string, where: string, refuse: (problem: string) => EcrctlError): unknown[] {
  const value = parent[key]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw refuse(`${where}.${key} is not an array`)
  return value
}

function refusal(file: string, problem: string, cause?: unknown): EcrctlError {
  return new EcrctlError(`Cannot read ${file} as Kubernetes objects: ${problem}.`, {
    detail: 'Expected the JSON that `kubectl get pods -A -o json` (or deployments, statefulsets, daemonsets, replicasets, jobs, cronjobs) prints.',
    nextSteps: [`Write it again with \`kubectl get pods -A -o json > ${file}\`.`],
    ...(cause === undefined ? {} : {cause}),
  })
}
