/**
 * The re-check right before each BatchDeleteImage, pure: given the repository as it is now, which
 * digests of the batch may still go. ECR has no conditional delete, so this is the last look
 * before an image is gone for good:
 *
 * - gone: the digest is not there any more (done);
 * - stale `TagsChanged`: its tags differ from the plan's;
 * - stale `ReferrerAdded`: an image the apply's first read did not see (or did not see with this
 *   edge: a cosign tag moved onto it) now refers to it — a signature, attestation, SBOM or other
 *   OCI referrer (`subjectManifestDigest`, a manifest `subject`, a `sha256-<hex>.sig|.att|.sbom` tag);
 * - stale `ManifestUnreadable`: an image the first read did not see has a manifest that could not
 *   be read, so it might refer to anything in the batch (fail closed).
 *
 * Referrers the first read saw were judged by the checks before the apply (src/apply/preconditions.ts):
 * either the plan deletes them too, in an earlier wave, or the subject's deletion is already stale.
 * A new referrer cannot be in the plan (the reviewer never saw it), so it always stays.
 */
import {imageEdges, type SubjectEdge} from '../model/image-edges.js'
import type {DeleteImageAction} from '../model/plan.js'
import type {LiveImage} from '../model/snapshot.js'
import {shortDigest} from '../util/short-digest.js'
import {tagChangeSincePlan} from './preconditions.js'

export type BatchStaleCode = 'TagsChanged' | 'ReferrerAdded' | 'ManifestUnreadable'

export type BatchVerdict = {status: 'pending'} | {status: 'gone'} | {status: 'stale'; code: BatchStaleCode; why: string}

interface Referrer {
  digest: string
  edge: SubjectEdge
}

const sameEdge = (a: SubjectEdge, b: SubjectEdge): boolean => a.subject === b.subject && a.via === b.via && a.tag === b.tag

function describeReferrer({digest, edge}: Referrer): string {
  const via = edge.via === 'cosign tag' ? `tag ${edge.tag}` : edge.via
  return `${edge.kind} ${shortDigest(digest)} (${via})`
}

/**
 * Verdicts for every digest of `batch`, from `current` (every image of the repository now) and
 * `firstRead` (the images the apply's first read saw, by digest).
 */
export function recheckBatch(
  batch: readonly DeleteImageAction[],
  current: readonly LiveImage[],
  firstRead: ReadonlyMap<string, LiveImage>,
): Map<string, BatchVerdict> {
  const now = new Map(current.map((image) => [image.digest, image]))
  const inBatch = new Set(batch.map((action) => action.imageDigest))
  /** subject digest (in the batch) -> referrers the first read did not see (not at all, or not with this edge) */
  const newReferrers = new Map<string, Referrer[]>()
  for (const image of current) {
    const known = firstRead.get(image.digest)
    const knownEdges = known === undefined ? [] : imageEdges(known).subjects
    for (const edge of imageEdges(image).subjects) {
      if (!inBatch.has(edge.subject) || knownEdges.some((seen) => sameEdge(seen, edge))) continue
      const list = newReferrers.get(edge.subject) ?? []
      list.push({digest: image.digest, edge})
      newReferrers.set(edge.subject, list)
    }
  }
  const unreadableNewcomer = current.find((image) => image.manifestError !== undefined && !firstRead.has(image.digest))

  const verdicts = new Map<string, BatchVerdict>()
  for (const action of batch) {
    const image = now.get(action.imageDigest)
    const tagChange = image === undefined ? undefined : tagChangeSincePlan(action.imageTags, image.tags)
    const added = newReferrers.get(action.imageDigest) ?? []
    let verdict: BatchVerdict
    if (image === undefined) verdict = {status: 'gone'}
    else if (tagChange !== undefined) verdict = {status: 'stale', code: 'TagsChanged', why: tagChange}
    else if (added.length > 0)
      verdict = {status: 'stale', code: 'ReferrerAdded', why: `${added.map(describeReferrer).join(', ')} refers to it, pushed since apply read the registry`}
    else if (unreadableNewcomer !== undefined && unreadableNewcomer.digest !== action.imageDigest) {
      verdict = {
        status: 'stale',
        code: 'ManifestUnreadable',
        why: `image ${shortDigest(unreadableNewcomer.digest)} was pushed since apply read the registry and its manifest could not be read, so it may refer to this image`,
      }
    } else verdict = {status: 'pending'}
    verdicts.set(action.imageDigest, verdict)
  }
  return verdicts
}
