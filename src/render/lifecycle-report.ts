/**
 * Words for the plan's lifecycle report (display only): what the policy that will run
 * does to the images the plan keeps, how many stand close to expiry, and the conflicts the desired
 * state accepted. Shared by the text and markdown renderers.
 */
import type {LifecycleRepositoryReport} from '../model/lifecycle-report.js'
import type {Reason} from '../model/plan.js'
import {plural, tagsText} from '../util/words.js'

export interface LifecycleReportWords {
  /** One sentence about the policy at the evaluation time. */
  headline: string
  /** One line per kept image the policy acts on now. */
  actedOnNow: string[]
  /** One line per accepted conflict. */
  acceptedConflicts: string[]
}

/** Words for the reasons a conflict names, about the kept image `digest` (./reasons.ts). */
export type KeptBecauseWords = (reasons: readonly Reason[], digest: string) => string

export function describeLifecycleReport(report: LifecycleRepositoryReport, short: (digest: string) => string, keptBecause: KeptBecauseWords): LifecycleReportWords {
  const which = report.policy === 'desired' ? 'The desired lifecycle policy' : 'The live lifecycle policy (unmanaged here)'
  const now =
    report.actedOnNow.length === 0 ? 'acts on none of the kept images now' : `acts on ${plural(report.actedOnNow.length, 'kept image')} now`
  const soon = `${report.withinPushes} more within the next ${plural(report.pushWindow, 'push', 'pushes')}, ${report.withinDays} within ${plural(report.dayWindow, 'day')}`
  return {
    headline: `${which} ${now}; ${soon}.`,
    actedOnNow: report.actedOnNow.map(
      (outcome) => `rule ${outcome.rulePriority} would ${outcome.action} ${short(outcome.imageDigest)} (${tagsText(outcome.imageTags)})`,
    ),
    acceptedConflicts: report.acceptedConflicts.map(
      (conflict) =>
        `accepted conflict: rule ${conflict.rulePriority} would expire ${short(conflict.imageDigest)} (${tagsText(conflict.imageTags)}) ${conflict.whenText}, ` +
        `though it is kept (${keptBecause(conflict.keptBecause, conflict.imageDigest)})${conflict.acceptedBy ? `; accepted by ${JSON.stringify(conflict.acceptedBy)}` : ''}`,
    ),
  }
}
