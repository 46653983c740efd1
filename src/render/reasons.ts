/**
 * Words for the plan's reasons. The plan holds data (src/model/plan.ts, `Reason`); this is the one
 * place that turns a reason into words, for text, markdown and the lifecycle report alike. Ages
 * are measured from the plan's evaluation time; related images are named by their short digest
 * (unambiguous within the plan) and their tags. Example words:
 *
 *   keep rule shop/web keep[0] tag=latest (#1 of the newest 3; 5 images match): what production pulls
 *   pushed 2 hours ago, within the 1d grace period
 *   child of kept index sha256:13df0fd9f201 (tags latest, v2)
 *   signature of deleted image sha256:69ab79a870d9 (tag v2), via its cosign tag (.sig)
 *   in use: arn:aws:ecs:…:task-definition/web:7 (ecs containerDefinitions[0].image: …/web:v3)
 *   no keep rule matches; pushed 2024-12-01 (62 days ago)
 */
import type {EdgeSource, InUseReasonReference, Reason} from '../model/plan.js'
import type {ReferrerKind} from '../model/image-edges.js'
import {formatAge, formatDuration} from '../util/duration.js'
import {describeTags, plural} from '../util/words.js'

export interface ReasonContext {
  /** The push time of the image the reason is about (ISO-8601). */
  imagePushedAt: string
  /** The plan's evaluation time, in ms. */
  evaluatedMs: number
  /** The plan-wide digest shortener. */
  short: (digest: string) => string
  /** The tags of an image of the same repository, or undefined when the plan does not list it. */
  tagsOf: (digest: string) => readonly string[] | undefined
}

/** In-use references named in a reason before "and N more". */
export const IN_USE_REFERENCES_SHOWN = 3

/** The reasons of one image, in the plan's order, as one line. */
export function reasonsText(reasons: readonly Reason[], context: ReasonContext): string {
  return reasons.map((reason) => reasonText(reason, context)).join('; ')
}

export function reasonText(reason: Reason, context: ReasonContext): string {
  const {short} = context
  const image = (digest: string): string => {
    const tags = context.tagsOf(digest)
    return tags === undefined ? short(digest) : `${short(digest)} (${describeTags(tags)})`
  }
  const ageMs = () => context.evaluatedMs - Date.parse(context.imagePushedAt)
  switch (reason.code) {
    case 'keepRule': {
      const rank =
        reason.rank !== undefined && reason.newest !== undefined
          ? ` (#${reason.rank} of the newest ${reason.newest}; ${plural(reason.matching ?? 0, 'image matches', 'images match')})`
          : ''
      return `keep rule ${reason.rule}${rank}${reason.reason ? `: ${reason.reason}` : ''}`
    }
    case 'gracePeriod': {
      const period = `the ${formatDuration(reason.gracePeriodMs)} grace period`
      const age = ageMs()
      return age < 0
        ? `pushed ${context.imagePushedAt}, after the evaluation time (clock skew?); kept as within ${period}`
        : `pushed ${formatAge(age)} ago, within ${period}`
    }
    case 'indexChild':
      return `child of kept index ${image(reason.relatedDigest)}`
    case 'referrerOfKept':
      return `${reason.kind} of kept image ${image(reason.relatedDigest)}, via ${edgeSourceText(reason.via, reason.kind)}`
    case 'subjectOfKept':
      return `subject of kept ${reason.kind} ${image(reason.relatedDigest)}, via ${edgeSourceText(reason.via, reason.kind)}`
    case 'manifestUnreadable': {
      const which =
        reason.unreadableCount === 1
          ? `the manifest of ${short(reason.relatedDigest)} could not be read (${reason.problem})`
          : `the manifests of ${reason.unreadableCount} images could not be read (first: ${short(reason.relatedDigest)}, ${reason.problem})`
      return `${which}, and it might reference this image; kept until the manifest can be read`
    }
    case 'inUse':
      return inUseText(reason.references)
    case 'noKeepRule':
      return `no keep rule matches; pushed ${context.imagePushedAt.slice(0, 10)} (${formatAge(ageMs())} ago)`
    case 'childOfDeletedIndex':
      return `child of deleted index ${image(reason.relatedDigest)}`
    case 'orphanReferrer':
      return reason.subjectInRepository
        ? `${reason.kind} of deleted image ${image(reason.relatedDigest)}, via ${edgeSourceText(reason.via, reason.kind)}`
        : `${reason.kind} of ${short(reason.relatedDigest)}, which is not in the repository, via ${edgeSourceText(reason.via, reason.kind)}`
  }
}

/** "in use: <resource> (<source> <field>: <text>)", the first few, then "and N more". */
function inUseText(references: readonly InUseReasonReference[]): string {
  const shown = references
    .slice(0, IN_USE_REFERENCES_SHOWN)
    .map((reference) => `${reference.resource} (${reference.source} ${reference.field}: ${reference.text})`)
  const more = references.length - shown.length
  return `in use: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}

const COSIGN_SUFFIX: Partial<Record<ReferrerKind, string>> = {signature: '.sig', attestation: '.att', SBOM: '.sbom'}

function edgeSourceText(via: EdgeSource, kind: ReferrerKind): string {
  // The full cosign tag is among the image's tags already; its suffix says enough here.
  if (via === 'cosign tag') return COSIGN_SUFFIX[kind] ? `its cosign tag (${COSIGN_SUFFIX[kind]})` : 'its cosign tag'
  return via === 'subjectManifestDigest' ? "ECR's subjectManifestDigest" : "the manifest's subject"
}

/** Every digest the reasons name, for a digest shortener that covers them. */
export function* reasonDigests(reasons: readonly Reason[]): Generator<string> {
  for (const reason of reasons) if ('relatedDigest' in reason) yield reason.relatedDigest
}
