import type {DeleteImageAction, PlanDocument, PutLifecyclePolicyAction} from '../../../src/model/plan.js'
import type {LiveImage} from '../../../src/model/snapshot.js'
import type {LiveRepositoryState} from '../../../src/model/registry.js'
import {RegistryCallError, type BatchDeleteResult, type RegistryApplyPort} from '../../../src/model/apply-port.js'
import type {RegistryIdentity} from '../../../src/model/registry.js'

export const digest = (n: number | string): string => `sha256:${String(n).padStart(64, '0')}`

export function del(repository: string, d: string, tags: string[] = [], extra: Partial<DeleteImageAction> = {}): DeleteImageAction {
  return {
    type: 'deleteImage',
    repository,
    imageDigest: d,
    imageTags: tags,
    imagePushedAt: '2026-01-01T00:00:00.000Z',
    sizeBytes: 1000,
    lastPulledAt: null,
    reasons: [{code: 'noKeepRule'}],
    ...extra,
  }
}

export function put(repository: string, before: string | null, after: string): PutLifecyclePolicyAction {
  return {type: 'putLifecyclePolicy', repository, before, after, declaredBy: {entry: repository, file: 'desired-state/app.yaml', line: 1}}
}

export function image(d: string, tags: string[] = [], extra: Partial<LiveImage> = {}): LiveImage {
  return {digest: d, tags, pushedAt: '2026-01-01T00:00:00.000Z', sizeBytes: 1000, ...extra}
}

export function liveRepo(repository: string, images: LiveImage[], lifecyclePolicy: string | null = null): LiveRepositoryState {
  return {repository, exists: true, images, lifecyclePolicy}
}

export function planOf(actions: PlanDocument['actions'], extra: Partial<PlanDocument> = {}): PlanDocument {
  return {
    kind: 'ecrctl-plan',
    formatVersion: 2,
    ecrctlVersion: '0.1.0',
    evaluatedAt: '2026-01-02T00:00:00.000Z',
    registry: {accountId: '123456789012', region: 'us-east-1'},
    desiredStateSha256: 'x',
    desiredStateFiles: [],
    managedRepositories: [...new Set(actions.map((a) => a.repository))].sort(),
    unmanagedRepositories: [],
    actions,
    kept: [],
    warnings: [],
    summary: {
      repositories: [],
      imagesDeleted: 0,
      imagesKept: 0,
      bytesDeleted: 0,
      lifecyclePolicyChanges: 0,
      pricePerGbMonth: 0.1,
      estimatedMonthlySavingsUsd: 0,
    },
    checksum: 'x',
    ...extra,
  }
}

/** An image of the in-memory registry: its tags, the children it lists (an index), the subject it names (a referrer). */
export interface MemoryImage {
  tags: string[]
  children: string[]
  /** Reported as ECR's subjectManifestDigest. */
  subject?: string
}

/**
 * An in-memory registry behind the RegistryApplyPort, with ECR's delete semantics in the port's
 * words: deleting a manifest an index still lists fails as referencedByIndex; deleting a missing
 * digest fails as imageGone; a missing repository throws notFound. Records every call so tests
 * can assert batching and order.
 */
export class MemoryRegistry implements RegistryApplyPort {
  readonly calls: Array<{op: string; repository: string; digests: string[]}> = []
  /** What readIdentity answers; planOf() plans are made for this registry. */
  identity: RegistryIdentity = {accountId: '123456789012', region: 'us-east-1'}
  /** Run before each BatchDeleteImage: lets a test change the registry in the race window. */
  beforeDelete?: (repository: string, digests: readonly string[]) => void
  /**
   * Lose the answer to the next BatchDeleteImage this many times: the registry acts, the answer
   * never arrives, and the caller's SDK sends the request again (reported in `attempts`).
   */
  loseDeleteAnswers = 0

  constructor(
    readonly repos: Map<string, {images: Map<string, MemoryImage>; policy: string | null}>,
  ) {}

  static of(spec: Record<string, {images: Array<[string, string[], string[]?]>; policy?: string | null}>): MemoryRegistry {
    const repos = new Map()
    for (const [name, {images, policy}] of Object.entries(spec)) {
      repos.set(name, {
        images: new Map(images.map(([d, tags, children]) => [d, {tags, children: children ?? []}])),
        policy: policy ?? null,
      })
    }
    return new MemoryRegistry(repos)
  }

  private repo(name: string) {
    const repo = this.repos.get(name)
    if (!repo) throw new RegistryCallError('notFound', `repository ${name} not found`)
    return repo
  }

  liveState(name: string): LiveRepositoryState {
    const repo = this.repo(name)
    return liveRepo(
      name,
      [...repo.images].map(([d, {tags, children, subject}]) =>
        image(d, [...tags], {...(children.length ? {manifest: {mediaType: 'index', children}} : {}), ...(subject ? {subjectDigest: subject} : {})}),
      ),
      repo.policy,
    )
  }

  async readIdentity(): Promise<RegistryIdentity> {
    return {...this.identity}
  }

  async readTouchedRepository(name: string): Promise<LiveRepositoryState> {
    return this.repos.has(name) ? this.liveState(name) : {repository: name, exists: false, images: [], lifecyclePolicy: null}
  }

  async rereadImages(repository: string): Promise<LiveImage[]> {
    this.calls.push({op: 'DescribeImages', repository, digests: []})
    return this.repos.has(repository) ? this.liveState(repository).images : []
  }

  async batchDeleteImages(repository: string, digests: readonly string[]): Promise<BatchDeleteResult> {
    if (digests.length > 100) throw new Error('more than 100 ids')
    this.beforeDelete?.(repository, digests)
    this.calls.push({op: 'BatchDeleteImage', repository, digests: [...digests]})
    const repo = this.repo(repository)
    let attempts = 1
    for (; this.loseDeleteAnswers > 0; this.loseDeleteAnswers--, attempts++) this.deleteNow(repo, digests)
    return {...this.deleteNow(repo, digests), attempts}
  }

  private deleteNow(repo: {images: Map<string, MemoryImage>}, digests: readonly string[]): Omit<BatchDeleteResult, 'attempts'> {
    const result: Omit<BatchDeleteResult, 'attempts'> = {deleted: [], failures: []}
    for (const d of digests) {
      const parent = [...repo.images].find(([, img]) => img.children.includes(d))
      if (!repo.images.has(d)) result.failures.push({imageDigest: d, kind: 'imageGone', reason: 'ImageNotFound: not found'})
      else if (parent) result.failures.push({imageDigest: d, kind: 'referencedByIndex', reason: `ImageReferencedByManifestList: referenced by ${parent[0]}`})
      else {
        repo.images.delete(d)
        result.deleted.push(d)
      }
    }
    return result
  }

  async getLifecyclePolicy(repository: string): Promise<string | null> {
    this.calls.push({op: 'GetLifecyclePolicy', repository, digests: []})
    return this.repo(repository).policy
  }

  async putLifecyclePolicy(repository: string, text: string): Promise<void> {
    this.calls.push({op: 'PutLifecyclePolicy', repository, digests: []})
    this.repo(repository).policy = text
  }

  async deleteLifecyclePolicy(repository: string): Promise<boolean> {
    this.calls.push({op: 'DeleteLifecyclePolicy', repository, digests: []})
    const had = this.repo(repository).policy !== null
    this.repo(repository).policy = null
    return had
  }
}
