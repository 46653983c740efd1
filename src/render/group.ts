import type {LifecycleRepositoryReport} from '../model/lifecycle-report.js'
import type {DeleteImageAction, ImageFacts, KeptImage, PlanDocument, PlanWarning, RepositorySummary} from '../model/plan.js'
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
  a.imagePushedAt === b.imagePushedAt
    ? a.imageDigest.localeCompare(b.imageDigest)
    : a.imagePushedAt < b.imagePushedAt
      ? 1
      : -1

/**
 * The plan regrouped for display: one view per repository (managed ones, plus any repository an
 * action names, so nothing in `actions` can be hidden), images newest first like the ECR console.
 */
export function groupByRepository(plan: PlanDocument): RepositoryView[] {
  const names = new Set(plan.managedRepositories)
  for (const action of plan.actions) names.add(action.repository)
  for (const image of plan.kept) names.add(image.repository)
  return [...names].sort().map((repository) => ({
    repository,
    deletes: plan.actions
      .filter((a): a is DeleteImageAction => a.type === 'deleteImage' && a.repository === repository)
      .sort(newestFirst),
    kept: plan.kept.filter((k) => k.repository === repository).sort(newestFirst),
    lifecycle: plan.actions.filter((a): a is LifecycleAction => a.type !== 'deleteImage' && a.repository === repository),
    warnings: plan.warnings.filter((w) => w.repository === repository),
    summary: plan.summary.repositories.find((r) => r.repository === repository),
    lifecycleReport: plan.lifecycle?.find((r) => r.repository === repository),
  }))
}

export const reasonText = (image: KeptImage | DeleteImageAction): string =>
  'reason' in image ? image.reason : image.reasons.map((r) => r.message).join('; ')

/** Archived images are listed apart: they cannot be pulled until restored, and are billed differently. */
export const isArchived = (image: ImageFacts): boolean => image.status === 'ARCHIVED'

/** A short visible marker for an image that is not plainly ACTIVE, or '' when it is. */
export function statusMarker(image: ImageFacts): string {
  if (image.status === 'ARCHIVED') return '[archived]'
  if (image.status === 'ACTIVATING') return '[restoring from archive]'
  return ''
}

export interface ArchiveSplit {
  active: {deletes: DeleteImageAction[]; kept: KeptImage[]}
  archived: {deletes: DeleteImageAction[]; kept: KeptImage[]}
}

/** The repository's images split into active ones and archived ones, each keeping its order. */
export function splitArchived(view: RepositoryView): ArchiveSplit {
  return {
    active: {deletes: view.deletes.filter((a) => !isArchived(a)), kept: view.kept.filter((k) => !isArchived(k))},
    archived: {deletes: view.deletes.filter(isArchived), kept: view.kept.filter(isArchived)},
  }
}
