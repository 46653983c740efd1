/**
 * Resolution: image references × the live snapshot of one registry → the images they keep.
 *
 * - References naming another ECR registry are counted, not resolved; references without a
 *   registry (matched by repository name) count for this one.
 * - By digest (with or without a tag): that digest. By tag: the image the tag points at now.
 * - A repository, tag or digest the snapshot does not have is a broken reference: a warning naming
 *   where it was found, never a reason to delete anything.
 * - A repository whose images were not read cannot be resolved (and is never planned).
 * Index children and referrers of what is kept are the image graph's business, not this one's.
 */
import type {BrokenReference, ImageReference, InUseImage, InUseRepository, InUseResolution} from '../model/in-use.js'
import type {LiveRepository, LiveSnapshot} from '../model/snapshot.js'
import {compareStrings} from '../util/order.js'

export function resolveInUse(references: readonly ImageReference[], snapshot: LiveSnapshot): InUseResolution {
  const {accountId, region} = snapshot.registry
  const repositories = new Map(snapshot.repositories.map((repository) => [repository.name, repository]))
  const lookups = new Map<string, {digests: Set<string>; tags: Map<string, string>}>()
  const lookup = (repository: LiveRepository) => {
    let found = lookups.get(repository.name)
    if (!found) {
      found = {digests: new Set(), tags: new Map()}
      for (const image of repository.images) {
        found.digests.add(image.digest)
        for (const tag of image.tags) found.tags.set(tag, image.digest)
      }
      lookups.set(repository.name, found)
    }
    return found
  }

  const kept = new Map<string, Map<string, ImageReference[]>>()
  const broken: BrokenReference[] = []
  const unread: ImageReference[] = []
  let otherRegistryReferences = 0
  for (const reference of uniqueReferences(references)) {
    if (reference.registry && (reference.registry.accountId !== accountId || reference.registry.region !== region)) {
      otherRegistryReferences++
      continue
    }
    const repository = repositories.get(reference.repository)
    if (!repository) {
      broken.push({problem: 'repositoryNotFound', reference})
      continue
    }
    if (!repository.imagesRead) {
      unread.push(reference)
      continue
    }
    const {digests, tags} = lookup(repository)
    const digest = reference.digest !== undefined ? (digests.has(reference.digest) ? reference.digest : undefined) : reference.tag !== undefined ? tags.get(reference.tag) : undefined
    if (digest === undefined) {
      broken.push({problem: reference.digest !== undefined ? 'digestNotFound' : 'tagNotFound', reference})
      continue
    }
    let images = kept.get(repository.name)
    if (!images) kept.set(repository.name, (images = new Map()))
    let keptBy = images.get(digest)
    if (!keptBy) images.set(digest, (keptBy = []))
    keptBy.push(reference)
  }

  const inUse: InUseRepository[] = [...kept.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([repository, images]) => ({
      repository,
      images: [...images.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([digest, keptBy]): InUseImage => ({digest, references: keptBy.sort(compareReferences)})),
    }))
  return {
    registry: {accountId, region},
    repositories: inUse,
    // Warnings read best grouped by repository: with or without the registry named, it is this one.
    broken: broken.sort((a, b) => byRepository(a.reference, b.reference) || compareStrings(a.problem, b.problem)),
    unread: unread.sort(byRepository),
    otherRegistryReferences,
  }
}

const compareOptional = (a: string | undefined, b: string | undefined): number => (a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : compareStrings(a, b))

const byRepository = (a: ImageReference, b: ImageReference): number => compareStrings(a.repository, b.repository) || compareReferences(a, b)

/** The one order of references everywhere (resolution, scan files): what, then where. */
export function compareReferences(a: ImageReference, b: ImageReference): number {
  return (
    compareOptional(a.registry?.accountId, b.registry?.accountId) ||
    compareOptional(a.registry?.region, b.registry?.region) ||
    compareStrings(a.repository, b.repository) ||
    compareOptional(a.tag, b.tag) ||
    compareOptional(a.digest, b.digest) ||
    compareStrings(a.evidence.source, b.evidence.source) ||
    compareStrings(a.evidence.resource, b.evidence.resource) ||
    compareStrings(a.evidence.field, b.evidence.field) ||
    compareStrings(a.text, b.text)
  )
}

/** Sorted, each distinct reference once (the same line found by two overlapping scans, say). */
export function uniqueReferences(references: readonly ImageReference[]): ImageReference[] {
  const sorted = [...references].sort(compareReferences)
  return sorted.filter((reference, index) => index === 0 || compareReferences(sorted[index - 1]!, reference) !== 0)
}
