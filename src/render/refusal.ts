/**
 * The words of a refused plan's "rest of the plan": what the plan would do apart from the refused
 * lifecycle policies, so one conflict does not hide the whole plan from its reviewer. Pure.
 *
 *   Apart from the refused lifecycle policy, the plan would: delete 3 images (sum of image sizes 12.0 MB) in 2 repositories; keep 3.
 *     app: delete 1, keep 2 (sum of image sizes 5.0 MB); lifecycle policy refused
 *     lib: delete 2, keep 1 (sum of image sizes 7.0 MB)
 */
import {EcrctlError} from '../errors.js'
import type {RepositorySummary} from '../model/plan.js'
import {PlanRefusedError, type RestOfPlan} from '../model/plan-refusal.js'
import {freedBytesText} from '../util/bytes.js'
import {compareStrings} from '../util/order.js'
import {printable} from '../util/printable.js'
import {plural} from '../util/words.js'

/** The refusal as it is shown: a PlanRefusedError gains its rest of the plan; any other error is returned as it is. */
export function withRestOfPlan(error: EcrctlError): EcrctlError {
  if (!(error instanceof PlanRefusedError)) return error
  return new EcrctlError(error.message, {
    kind: error.kind,
    detail: `${error.detail ?? ''}\n${restOfPlanText(error.restOfPlan)}\n`,
    nextSteps: error.nextSteps,
    exitCode: error.exitCode,
    cause: error,
  })
}

export function restOfPlanText(rest: RestOfPlan): string {
  const {summary, refusedRepositories} = rest
  const refused = new Set(refusedRepositories)
  const policies = refusedRepositories.length === 1 ? 'the refused lifecycle policy' : 'the refused lifecycle policies'
  const changes: string[] = []
  const deleting = summary.repositories.filter((repository) => repository.imagesDeleted > 0).length
  if (summary.imagesDeleted > 0) {
    changes.push(
      `delete ${plural(summary.imagesDeleted, 'image')} (${freedBytesText(summary.bytesDeleted, summary.uniqueBytesFreed)}) in ${plural(deleting, 'repository', 'repositories')}`,
    )
  }
  if (summary.lifecyclePolicyChanges > 0) changes.push(`change ${plural(summary.lifecyclePolicyChanges, 'lifecycle policy', 'lifecycle policies')}`)
  const headline =
    changes.length === 0
      ? `Apart from ${policies}, the plan would change nothing; keep ${summary.imagesKept}.`
      : `Apart from ${policies}, the plan would: ${changes.join(', ')}; keep ${summary.imagesKept}.`

  const lines = new Map<string, string>()
  for (const repository of summary.repositories) lines.set(repository.repository, repositoryLine(repository, refused.has(repository.repository)))
  for (const name of refusedRepositories) if (!lines.has(name)) lines.set(name, `${name}: lifecycle policy refused`)
  const rows = [...lines].sort(([a], [b]) => compareStrings(a, b)).map(([, line]) => `  ${printable(line)}`)
  return [headline, ...rows].join('\n')
}

function repositoryLine(repository: RepositorySummary, refused: boolean): string {
  const parts: string[] = []
  if (repository.imagesManaged === false) parts.push('images not managed')
  else {
    const freed = repository.imagesDeleted > 0 ? ` (${freedBytesText(repository.bytesDeleted, repository.uniqueBytesFreed)})` : ''
    parts.push(`delete ${repository.imagesDeleted}, keep ${repository.imagesKept}${freed}`)
  }
  if (refused) parts.push('lifecycle policy refused')
  else if (repository.lifecycleChange !== undefined) parts.push(`lifecycle policy: ${repository.lifecycleChange}`)
  return `${repository.repository}: ${parts.join('; ')}`
}
