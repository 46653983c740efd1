/**
 * The closing text of `ecrctl apply`: the one-paragraph summary and the pullability check. Pure.
 */
import type {ApplyReport, PullabilityReport} from '../model/apply-result.js'
import {freedBytesText} from '../util/bytes.js'
import {printable} from '../util/printable.js'
import {plural, tagsText} from '../util/words.js'

/**
 *   Apply complete: 40 images deleted (sum of image sizes 1.2 GB), 2 already gone, 1 lifecycle policy changed.
 *   Apply incomplete: 1 action failed: ...
 */
export function formatApplySummary(report: ApplyReport): string {
  const t = report.totals
  const done: string[] = [`${plural(t.imagesDeleted, 'image')} deleted (${freedBytesText(t.imageSizeBytesDeleted, undefined)})`]
  if (t.imagesConfirmedOnRetry > 0) done.push(`${t.imagesConfirmedOnRetry} of them confirmed on retry (the first answer was lost)`)
  if (t.imagesAlreadyGone > 0) done.push(`${t.imagesAlreadyGone} already gone`)
  if (t.policiesApplied > 0) done.push(`${plural(t.policiesApplied, 'lifecycle policy', 'lifecycle policies')} changed`)
  if (t.policiesAlreadyDone > 0) done.push(`${plural(t.policiesAlreadyDone, 'policy', 'policies')} already as planned`)
  const skipped = t.imagesSkippedStale + t.policiesSkippedStale
  if (skipped > 0) done.push(`${plural(skipped, 'stale action')} skipped`)
  const lines = [`${report.exitCode === 0 ? 'Apply complete' : 'Apply incomplete'}: ${done.join(', ')}.`]
  if (report.checks === 'registryOnly') lines.push('Only registry checks were made: no desired state at hand (-f), so the actions were not re-derived.')
  if (report.pullability !== undefined) lines.push(formatPullability(report.pullability))
  const problems = report.actions.filter((a) => a.outcome === 'failed' || a.outcome === 'skippedStale')
  for (const problem of problems) {
    const target = problem.imageDigest ? `${problem.repository}@${problem.imageDigest}` : `${problem.repository} (${problem.type})`
    const label = problem.outcome === 'failed' ? 'failed' : 'skipped (stale)'
    lines.push(printable(`  - ${label}: ${target}: ${[problem.code, problem.message].filter(Boolean).join(': ')}`))
  }
  if (report.exitCode !== 0) {
    lines.push('Nothing outside the plan was touched. Re-running `ecrctl apply` with the same plan retries what is left;')
    lines.push('if actions are stale, re-run `ecrctl plan` and review the new plan.')
  }
  lines.push(`Audit log: ${printable(report.auditLog)}`)
  return `${lines.join('\n')}\n`
}

/** One line when all is well; one line per broken index otherwise. */
export function formatPullability(report: PullabilityReport): string {
  if (report.broken.length === 0) {
    return `Pullability check: ${plural(report.indexesChecked, 'multi-arch index', 'multi-arch indexes')} in ${plural(report.repositories, 'touched repository', 'touched repositories')}, every platform manifest present.`
  }
  const lines = [`Pullability check FAILED: ${report.broken.length} of ${report.indexesChecked} multi-arch indexes list platform manifests that are gone:`]
  for (const index of report.broken) {
    const blame = index.causedByApply ? 'deleted by this apply' : 'already missing before this apply'
    lines.push(printable(`  - ${index.repository}@${index.indexDigest} (${tagsText(index.indexTags)}): ${index.missingChildren.join(', ')} ${blame}`))
  }
  return lines.join('\n')
}
