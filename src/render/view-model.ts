/**
 * The one per-repository view of a plan that the text and markdown renderers share: every word,
 * number, short digest and ordering is decided here, so the two differ only in syntax (columns
 * and colours versus tables and escapes). Built one repository at a time, so a plan of a million
 * images is rendered without a second copy of it in memory.
 *
 *   RepositoryViewModel
 *     heading       counts and sizes of the repository's line / <details> summary
 *     active        image rows (deletions first, then kept, each newest first)
 *     archived      the same for archived images, listed apart
 *     lifecycle     policy changes: verb, why, unified diff
 *     lifecycleReport, warnings
 */
import type {Reason} from '../model/plan.js'
import type {PlanDocument} from '../model/plan.js'
import {formatBytes} from '../util/bytes.js'
import {type DigestShortener, digestShortener} from '../util/short-digest.js'
import {formatTimestamp, planDigests} from './format.js'
import {freedBytesText} from '../util/bytes.js'
import {groupByRepository, isArchived, type RepositoryView, statusMarker} from './group.js'
import {lifecycleDiff, lifecycleVerb, type LifecycleAction} from './lifecycle-diff.js'
import {describeLifecycleReport, type LifecycleReportWords} from './lifecycle-report.js'
import {type ReasonContext, reasonsText} from './reasons.js'

export interface ImageRow {
  action: 'delete' | 'keep'
  /** Shortened, unambiguous within the plan. */
  digest: string
  /** The image's tags as they are (each syntax lists them its own way). */
  tags: readonly string[]
  /** `2025-01-01 12:00` (UTC). */
  pushed: string
  size: string
  /** `[archived]`, `[restoring from archive]` or ''. */
  status: string
  /** The image's reasons in words, in the plan's order, joined by "; ". */
  reasons: string
  /** Display-only remarks (deletions only). */
  notes: readonly string[]
}

export interface LifecycleChangeView {
  verb: 'create' | 'update' | 'delete'
  /** Why: which desired-state entry declares it. */
  explanation: string
  /** The unified diff lines (without the `====` banner), ending with a newline. */
  diff: string
}

export interface RepositoryViewModel {
  repository: string
  heading: {
    /** False when only lifecycle-only entries match: images not decided by the plan. */
    imagesManaged: boolean
    deletes: number
    kept: number
    /** Sum of the deleted images' sizes. */
    bytesDeleted: number
    uniqueBytesFreed?: number
    /** "sum of image sizes …; unique bytes freed …", or undefined when nothing is deleted. */
    freed?: string
  }
  active: ImageRow[]
  archived: {deletes: number; kept: number; rows: ImageRow[]}
  lifecycle: LifecycleChangeView[]
  lifecycleReport?: LifecycleReportWords
  warnings: Array<{about?: string; message: string}>
}

/** The plan-wide parts every repository's view needs. */
export interface PlanViewContext {
  short: DigestShortener
  evaluatedMs: number
}

export function planViewContext(plan: PlanDocument): PlanViewContext {
  return {short: digestShortener(planDigests(plan)), evaluatedMs: Date.parse(plan.evaluatedAt)}
}

/** The plan's repositories, each turned into its view model only when asked for. */
export function* repositoryViewModels(plan: PlanDocument, context: PlanViewContext = planViewContext(plan)): Generator<RepositoryViewModel> {
  for (const view of groupByRepository(plan)) yield repositoryViewModel(view, context)
}

export function repositoryViewModel(view: RepositoryView, context: PlanViewContext): RepositoryViewModel {
  const {short} = context
  const tagsOf = relatedTags(view)
  const row = (action: ImageRow['action'], image: RepositoryView['deletes'][number] | RepositoryView['kept'][number]): ImageRow => {
    const reasonContext: ReasonContext = {imagePushedAt: image.imagePushedAt, evaluatedMs: context.evaluatedMs, short, tagsOf}
    return {
      action,
      digest: short.known(image.imageDigest),
      tags: image.imageTags,
      pushed: formatTimestamp(image.imagePushedAt),
      size: formatBytes(image.sizeBytes),
      status: statusMarker(image),
      reasons: reasonsText(image.reasons, reasonContext),
      notes: 'notes' in image ? (image.notes ?? []) : [],
    }
  }
  const active: ImageRow[] = []
  const archived: ImageRow[] = []
  let archivedDeletes = 0
  let bytesDeleted = 0
  for (const action of view.deletes) {
    bytesDeleted += action.sizeBytes
    if (isArchived(action)) archivedDeletes += 1
    ;(isArchived(action) ? archived : active).push(row('delete', action))
  }
  for (const image of view.kept) (isArchived(image) ? archived : active).push(row('keep', image))

  const uniqueBytesFreed = view.summary?.uniqueBytesFreed
  const model: RepositoryViewModel = {
    repository: view.repository,
    heading: {
      imagesManaged: view.summary?.imagesManaged !== false,
      deletes: view.deletes.length,
      kept: view.kept.length,
      bytesDeleted,
      ...(uniqueBytesFreed !== undefined ? {uniqueBytesFreed} : {}),
      ...(view.deletes.length > 0 ? {freed: freedBytesText(bytesDeleted, uniqueBytesFreed)} : {}),
    },
    active,
    archived: {deletes: archivedDeletes, kept: archived.length - archivedDeletes, rows: archived},
    lifecycle: view.lifecycle.map((action) => ({verb: lifecycleVerb(action), explanation: lifecycleExplanation(action), diff: lifecycleDiff(action)})),
    warnings: view.warnings.map((warning) => ({...(warning.imageDigest ? {about: short(warning.imageDigest)} : {}), message: warning.message})),
  }
  if (view.lifecycleReport) {
    const report = view.lifecycleReport
    const pushedAt = new Map<string, string>()
    for (const image of view.kept) pushedAt.set(image.imageDigest, image.imagePushedAt)
    model.lifecycleReport = describeLifecycleReport(report, short, (reasons: readonly Reason[], digest: string) =>
      reasonsText(reasons, {imagePushedAt: pushedAt.get(digest) ?? '', evaluatedMs: context.evaluatedMs, short, tagsOf}),
    )
  }
  return model
}

/** Why a lifecycle policy changes: the entry that declares it, and what differs. */
export function lifecycleExplanation(action: LifecycleAction): string {
  const {entry, file, line} = action.declaredBy
  const declared = `declared by desired-state entry "${entry}" (${file}:${line})`
  if (action.type === 'deleteLifecyclePolicy') return `lifecycle: none ${declared}`
  return action.before === null ? `lifecycle policy ${declared}; the repository has none` : `lifecycle policy ${declared} differs from the live one`
}

/**
 * The tags of the images the repository's reasons name (parent indexes, subjects, referrers),
 * looked up among the repository's own images: only those, not a map of a million images.
 */
function relatedTags(view: RepositoryView): (digest: string) => readonly string[] | undefined {
  const wanted = new Map<string, readonly string[] | undefined>()
  const collect = (reasons: readonly Reason[]) => {
    for (const reason of reasons) if ('relatedDigest' in reason) wanted.set(reason.relatedDigest, undefined)
  }
  for (const image of view.deletes) collect(image.reasons)
  for (const image of view.kept) collect(image.reasons)
  for (const conflict of view.lifecycleReport?.acceptedConflicts ?? []) collect(conflict.keptBecause)
  if (wanted.size > 0) {
    for (const image of view.deletes) if (wanted.has(image.imageDigest)) wanted.set(image.imageDigest, image.imageTags)
    for (const image of view.kept) if (wanted.has(image.imageDigest)) wanted.set(image.imageDigest, image.imageTags)
  }
  return (digest) => wanted.get(digest)
}
