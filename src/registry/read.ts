/**
 * Reads the live registry into a LiveSnapshot: the only place ecrctl lists repositories, images,
 * lifecycle policies and manifests. Import lazily (it loads the AWS SDK).
 *
 * Calls: DescribeRegistry once; DescribeRepositories pages; per managed repository
 * GetLifecyclePolicy, DescribeImages pages (maxResults 1000, imageStatus ANY so archived images
 * come too) and BatchGetImage (≤100 ids) for manifests that can reference other images.
 * Repositories are read concurrently through a bounded pool.
 */
import {
  BatchGetImageCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  type DescribeImagesCommandInput,
  type ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr'
import {createHash} from 'node:crypto'
import {MAX_IMAGE_IDS_PER_CALL, MAX_RESULTS_PER_PAGE} from '../model/ecr-facts.js'
import {SNAPSHOT_FORMAT_VERSION, type LiveImage, type LiveRepository, type LiveSnapshot} from '../model/snapshot.js'
import {EcrctlError} from '../errors.js'
import {compareStrings} from '../util/order.js'
import {mapBounded} from '../util/pool.js'
import {describeImagesAnyStatus, getLifecyclePolicyText} from './ecr-quirks.js'
import {resolveRegion, toEcrctlError, type CallContext} from './errors.js'
import {ACCEPTED_MANIFEST_MEDIA_TYPES, canReferenceOthers, parseManifest} from './manifests.js'
import {redactSecrets} from '../util/redact.js'

/**
 * Which manifests to fetch with BatchGetImage:
 * - references (default): indexes / manifest lists and OCI manifests (which may carry `subject`);
 *   the plan needs these to never delete what a kept image references.
 * - all: every image, with config and layer blob sizes (for unique-bytes savings).
 * - none: no manifests (fast, but the planner can then not see references).
 */
export type ManifestReadMode = 'references' | 'all' | 'none'

export type ReadProgress =
  | {type: 'repositories-listed'; total: number; managed: number}
  | {type: 'repository-read'; repository: string; images: number; done: number; total: number}

export interface ReadLiveSnapshotOptions {
  isManaged(name: string): boolean
  /** Repositories read at the same time (default 8). */
  concurrency?: number
  readManifests?: ManifestReadMode
  onProgress?(event: ReadProgress): void
  /** The snapshot's takenAt (default: now). */
  now?: () => Date
}

export interface ReadRepositoryOptions {
  readManifests?: ManifestReadMode
  /** Images read before: one found again takes its manifest (or manifest error) from here instead of a new BatchGetImage. */
  known?: ReadonlyMap<string, LiveImage>
}

const MANIFEST_BATCH_CONCURRENCY = 4

export async function readLiveSnapshot(client: ECRClient, options: ReadLiveSnapshotOptions): Promise<LiveSnapshot> {
  const takenAt = (options.now?.() ?? new Date()).toISOString()
  const registry = await readRegistryIdentity(client)
  const names = await listRepositoryNames(client)
  const managed = names.filter((name) => options.isManaged(name))
  options.onProgress?.({type: 'repositories-listed', total: names.length, managed: managed.length})

  const reader = new ImageReader(client, options.readManifests ?? 'references')
  let done = 0
  const read = await mapBounded(managed, options.concurrency ?? 8, async (name): Promise<LiveRepository> => {
    const [lifecyclePolicy, images] = await Promise.all([readLifecyclePolicy(client, name), reader.read(name)])
    done++
    options.onProgress?.({type: 'repository-read', repository: name, images: images.length, done, total: managed.length})
    return {name, lifecyclePolicy, imagesRead: true, images}
  })
  const byName = new Map(read.map((repository) => [repository.name, repository]))
  const repositories = names
    .map((name) => byName.get(name) ?? {name, lifecyclePolicy: null, imagesRead: false, images: []})
    .sort((a, b) => compareStrings(a.name, b.name))
  return {kind: 'ecrctl-live-snapshot', formatVersion: SNAPSHOT_FORMAT_VERSION, takenAt, registry, repositories}
}

/** The images of one repository, sorted by digest (apply re-reads repositories with this). */
export async function readRepositoryImages(client: ECRClient, name: string, options: ReadRepositoryOptions = {}): Promise<LiveImage[]> {
  return new ImageReader(client, options.readManifests ?? 'references', options.known).read(name)
}

/** Account (DescribeRegistry) and region (the client's configuration). */
export async function readRegistryIdentity(client: ECRClient): Promise<{accountId: string; region: string}> {
  const region = await resolveRegion(() => client.config.region())
  const result = await call(client, {operation: 'DescribeRegistry'}, () => client.send(new DescribeRegistryCommand({})))
  if (!result.registryId) throw toEcrctlError(new Error('DescribeRegistry returned no registryId'), {operation: 'DescribeRegistry'})
  return {accountId: result.registryId, region}
}

export async function listRepositoryNames(client: ECRClient): Promise<string[]> {
  const names: string[] = []
  let nextToken: string | undefined
  do {
    const page = await call(client, {operation: 'DescribeRepositories'}, () =>
      client.send(new DescribeRepositoriesCommand({maxResults: MAX_RESULTS_PER_PAGE, nextToken})),
    )
    for (const repository of page.repositories ?? []) if (repository.repositoryName) names.push(repository.repositoryName)
    nextToken = page.nextToken
  } while (nextToken)
  return [...new Set(names)].sort(compareStrings)
}

export async function readLifecyclePolicy(client: ECRClient, name: string): Promise<string | null> {
  return call(client, {operation: 'GetLifecyclePolicy', repository: name}, () => getLifecyclePolicyText(client, name))
}

class ImageReader {
  constructor(
    private readonly client: ECRClient,
    private readonly mode: ManifestReadMode,
    private readonly known: ReadonlyMap<string, LiveImage> = new Map(),
  ) {}

  async read(name: string): Promise<LiveImage[]> {
    const details = await this.describeAll(name)
    const images = new Map<string, LiveImage>()
    for (const detail of details) {
      if (!detail.imageDigest) continue
      const existing = images.get(detail.imageDigest)
      const image = toLiveImage(name, detail)
      // Paging never repeats an image on real ECR; if it did, keep every tag seen.
      if (existing) existing.tags = [...new Set([...existing.tags, ...image.tags])].sort()
      else images.set(image.digest, image)
    }
    for (const image of images.values()) {
      const before = this.known.get(image.digest)
      if (before?.manifest !== undefined) image.manifest = before.manifest
      if (before?.manifestError !== undefined) image.manifestError = before.manifestError
    }
    if (this.mode !== 'none') {
      const wanted = [...images.values()].filter(
        (image) => !this.known.has(image.digest) && (this.mode === 'all' || canReferenceOthers(image.manifestMediaType) || image.subjectDigest),
      )
      await this.attachManifests(name, wanted)
    }
    return [...images.values()].sort((a, b) => compareStrings(a.digest, b.digest))
  }

  private async describeAll(name: string): Promise<ImageDetail[]> {
    const details: ImageDetail[] = []
    let nextToken: string | undefined
    do {
      const page = await this.describePage(name, nextToken)
      details.push(...(page.imageDetails ?? []))
      nextToken = page.nextToken
    } while (nextToken)
    return details
  }

  private async describePage(name: string, nextToken: string | undefined) {
    const input: DescribeImagesCommandInput = {repositoryName: name, maxResults: MAX_RESULTS_PER_PAGE, nextToken}
    return call(this.client, {operation: 'DescribeImages', repository: name}, () => describeImagesAnyStatus(this.client, input))
  }

  private async attachManifests(name: string, images: LiveImage[]): Promise<void> {
    const batches: LiveImage[][] = []
    for (let start = 0; start < images.length; start += MAX_IMAGE_IDS_PER_CALL) batches.push(images.slice(start, start + MAX_IMAGE_IDS_PER_CALL))
    // Batches of one repository go out a few at a time (`all` reads every manifest of it);
    // adaptive retry absorbs throttling.
    await mapBounded(batches, MANIFEST_BATCH_CONCURRENCY, (batch) => this.attachBatch(name, batch))
  }

  private async attachBatch(name: string, batch: LiveImage[]): Promise<void> {
    let returned: Array<{imageId?: {imageDigest?: string}; imageManifest?: string; imageManifestMediaType?: string}>
    let failureReasons: string[] = []
    try {
      const result = await this.client.send(
        new BatchGetImageCommand({
          repositoryName: name,
          imageIds: batch.map((image) => ({imageDigest: image.digest})),
          acceptedMediaTypes: ACCEPTED_MANIFEST_MEDIA_TYPES,
        }),
      )
      returned = result.images ?? []
      failureReasons = (result.failures ?? []).map((f) => `${f.failureCode ?? 'failure'}: ${f.failureReason ?? ''}`.trim())
    } catch (error) {
      // Fail closed: the planner keeps whatever these images might reference and warns.
      const reason = redactSecrets(`BatchGetImage failed: ${(error as Error).name ?? 'Error'}: ${(error as Error).message}`)
      for (const image of batch) image.manifestError = reason
      return
    }
    const byDigest = new Map(returned.filter((r) => r.imageId?.imageDigest).map((r) => [r.imageId!.imageDigest!, r]))
    for (const image of batch) {
      const found = byDigest.get(image.digest)
      if (!found?.imageManifest) {
        image.manifestError = `BatchGetImage returned no manifest${failureReasons.length > 0 ? ` (${failureReasons.join('; ')})` : ''}`
        continue
      }
      if (sha256(found.imageManifest) !== image.digest) {
        image.manifestError = 'BatchGetImage returned manifest bytes whose sha256 is not the image digest'
        continue
      }
      try {
        const info = parseManifest(found.imageManifest, found.imageManifestMediaType ?? image.manifestMediaType)
        if (this.mode !== 'all') delete info.blobs
        image.manifest = info
      } catch (error) {
        image.manifestError = (error as Error).message
      }
    }
  }
}

function toLiveImage(repository: string, detail: ImageDetail): LiveImage {
  // A guessed push time (say 1970) would make the image look old enough to delete, and would move
  // it in `newest: N` rankings; refuse instead, as the planner does for an unreadable pushedAt.
  if (!(detail.imagePushedAt instanceof Date) || Number.isNaN(detail.imagePushedAt.getTime())) {
    throw new EcrctlError(`DescribeImages reported no push time for image ${detail.imageDigest} in repository ${repository}.`, {
      detail: 'ecrctl decides by push time (grace period, pushedWithin, newest), so it will not guess one.',
      nextSteps: ['Run the command again; if it persists, leave this repository out of the desired state and report it.'],
    })
  }
  const image: LiveImage = {
    digest: detail.imageDigest!,
    tags: [...new Set(detail.imageTags ?? [])].sort(),
    pushedAt: detail.imagePushedAt.toISOString(),
    sizeBytes: detail.imageSizeInBytes ?? 0,
  }
  if (detail.lastRecordedPullTime) image.lastPulledAt = detail.lastRecordedPullTime.toISOString()
  if (detail.imageManifestMediaType) image.manifestMediaType = detail.imageManifestMediaType
  if (detail.artifactMediaType) image.artifactMediaType = detail.artifactMediaType
  if (detail.subjectManifestDigest) image.subjectDigest = detail.subjectManifestDigest
  if (detail.imageStatus && detail.imageStatus !== 'ACTIVE') image.status = detail.imageStatus as LiveImage['status']
  if (detail.lastArchivedAt) image.lastArchivedAt = detail.lastArchivedAt.toISOString()
  if (detail.lastActivatedAt) image.lastActivatedAt = detail.lastActivatedAt.toISOString()
  return image
}

async function call<T>(client: ECRClient, context: CallContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw toEcrctlError(error, {...context, endpoint: await describeEndpoint(client)})
  }
}

/** The endpoint requests go to, for error messages. */
export async function describeEndpoint(client: ECRClient): Promise<string> {
  try {
    const configured = client.config.endpoint ? await client.config.endpoint() : undefined
    if (configured) {
      const port = configured.port ? `:${configured.port}` : ''
      return `${configured.protocol}//${configured.hostname}${port}${configured.path === '/' ? '' : configured.path}`
    }
  } catch {
    // fall through to the environment / default
  }
  const fromEnvironment = process.env.AWS_ENDPOINT_URL_ECR ?? process.env.AWS_ENDPOINT_URL
  if (fromEnvironment) return redactSecrets(fromEnvironment)
  try {
    return `https://api.ecr.${await client.config.region()}.amazonaws.com`
  } catch {
    return 'the default ECR endpoint'
  }
}

const sha256 = (text: string): string => 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex')

/** Counts ECR API calls by operation (sends, and HTTP attempts including retries): for the bench and tests. */
export interface ApiCallCounter {
  calls: Record<string, number>
  attempts: Record<string, number>
  total(): number
  reset(): void
}

export function countApiCalls(client: ECRClient): ApiCallCounter {
  const counter: ApiCallCounter = {
    calls: {},
    attempts: {},
    total: () => Object.values(counter.calls).reduce((sum, n) => sum + n, 0),
    reset: () => {
      counter.calls = {}
      counter.attempts = {}
    },
  }
  const operation = (context: {commandName?: string}) => (context.commandName ?? 'Unknown').replace(/Command$/, '')
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = operation(context)
      counter.calls[op] = (counter.calls[op] ?? 0) + 1
      return next(args)
    },
    {step: 'initialize', name: 'ecrctlApiCallCounter', override: true},
  )
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = operation(context)
      counter.attempts[op] = (counter.attempts[op] ?? 0) + 1
      return next(args)
    },
    {step: 'deserialize', name: 'ecrctlApiAttemptCounter', override: true},
  )
  return counter
}
