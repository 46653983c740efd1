import type {LifecycleRepositoryReport} from '../model/lifecycle-report.js'
import type {DeleteImageAction, ImageFacts, KeptImage, PlanDocument, PlanWarning, RepositorySummary} from '../model/plan.js'
import {compareStrings} from '../util/order.js'
import type {LifecycleAction} from './lifecycle-diff.js'

export interface RepositoryView {
  repository: string
  deletes: DeleteImageAction[]
  kept: KeptImage[]
  lifecycle: LifecycleAction[]
  warnings: PlanWarning[]
  summary?: RepositorySummary
  lifecycleReport?: LifecycleRepositoryReport
}

const newestFirst = (a: {imagePushedAt: string; imageDigest: string}, b: {imagePushedAt: string; imageDigest: string}) =>
  compareStrings(b.imagePushedAt, a.imagePushedAt) || compareStrings(a.imageDigest, b.imageDigest)

/**
 * The plan regrouped for display: one view per repository (managed ones, plus any repository an
 * action names, so nothing in `actions` can be hidden), images newest first like the ECR console.
 * One pass over each list (a plan can hold a million images over a thousand repositories).
 */
export function groupByRepository(plan: PlanDocument): RepositoryView[] {
  const views = new Map<string, RepositoryView>()
  const view = (repository: string): RepositoryView => {
    let found = views.get(repository)
    if (found === undefined) {
      found = {repository, deletes: [], kept: [], lifecycle: [], warnings: []}
      views.set(repository, found)
    }
    return found
  }
  for (const repository of plan.managedRepositories) view(repository)
  for (const action of plan.actions) {
    if (action.type === 'deleteImage') view(action.repository).deletes.push(action)
    else view(action.repository).lifecycle.push(action)
  }
  for (const image of plan.kept) view(image.repository).kept.push(image)
  for (const warning of plan.warnings) if (warning.repository !== undefined && views.has(warning.repository)) view(warning.repository).warnings.push(warning)
  for (const summary of plan.summary.repositories) if (views.has(summary.repository)) views.get(summary.repository)!.summary ??= summary
  for (const report of plan.lifecycle ?? []) if (views.has(report.repository)) views.get(report.repository)!.lifecycleReport ??= report
  const sorted = [...views.values()].sort((a, b) => compareStrings(a.repository, b.repository))
  for (const repositoryView of sorted) {
    repositoryView.deletes.sort(newestFirst)
    repositoryView.kept.sort(newestFirst)
  }
  return sorted
}

/** Archived images are listed apart: they cannot be pulled until restored, and are billed differently. */
export const isArchived = (image: ImageFacts): boolean => image.status === 'ARCHIVED'

/** A short visible marker for an image that is not plainly ACTIVE, or '' when it is. */
export function statusMarker(image: ImageFacts): string {
  if (image.status === 'ARCHIVED') return '[archived]'
  if (image.status === 'ACTIVATING') return '[restoring from archive]'
  return ''
}
