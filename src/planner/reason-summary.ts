/**
 * Reasons in a refusal's words. The plan's reasons are data and src/render words them for a plan;
 * a refusal (a lifecycle conflict while planning, a stale action while applying) is thrown before
 * or outside any rendering, and the pure core below render may not import it, so it words them
 * here, briefly: the rule, the grace period, the related image by its short digest.
 */
import type {Reason} from '../model/plan.js'
import {formatAge, formatDuration} from '../util/duration.js'
import {shortDigest} from '../util/short-digest.js'

/** `imagePushedAt` and `nowMs` give the age a grace period names; without them it is left out. */
export function reasonSummary(reasons: readonly Reason[], image?: {imagePushedAt: string; nowMs: number}): string {
  return reasons.map((reason) => reasonBrief(reason, image)).join('; ')
}

function reasonBrief(reason: Reason, image: {imagePushedAt: string; nowMs: number} | undefined): string {
  switch (reason.code) {
    case 'keepRule':
      return `keep rule ${reason.rule}${reason.reason ? `: ${reason.reason}` : ''}`
    case 'gracePeriod': {
      const age = image === undefined ? undefined : image.nowMs - Date.parse(image.imagePushedAt)
      const within = `within the ${formatDuration(reason.gracePeriodMs)} grace period`
      return age === undefined || Number.isNaN(age) ? `pushed ${within}` : age < 0 ? `pushed after the evaluation time, kept as ${within}` : `pushed ${formatAge(age)} ago, ${within}`
    }
    case 'indexChild':
      return `child of kept index ${shortDigest(reason.relatedDigest)}`
    case 'referrerOfKept':
      return `${reason.kind} of kept image ${shortDigest(reason.relatedDigest)}`
    case 'subjectOfKept':
      return `subject of kept ${reason.kind} ${shortDigest(reason.relatedDigest)}`
    case 'manifestUnreadable':
      return `the manifest of ${shortDigest(reason.relatedDigest)} could not be read and might reference it`
    case 'inUse':
      return `in use: ${reason.references.map((reference) => reference.resource).join(', ')}`
    case 'noKeepRule':
      return 'no keep rule matches'
    case 'childOfDeletedIndex':
      return `child of deleted index ${shortDigest(reason.relatedDigest)}`
    case 'orphanReferrer':
      return `${reason.kind} of ${shortDigest(reason.relatedDigest)}`
  }
}
