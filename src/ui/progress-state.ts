/** Per-repository progress folded from apply events, for the Ink progress view. Pure. */
import type {ApplyEvent} from '../model/apply-events.js'

export interface RepositoryProgress {
  repository: string
  total: number
  done: number
  deleted: number
  failed: number
  skipped: number
  /** Sum of imageSizeInBytes of the images deleted so far. */
  imageSizeBytesDeleted: number
  finished: boolean
}

export type ProgressState = RepositoryProgress[]

export function reduceProgress(state: ProgressState, event: ApplyEvent): ProgressState {
  if (event.type === 'repositoryStarted') {
    if (state.some((row) => row.repository === event.repository)) return state
    return [
      ...state,
      {repository: event.repository, total: event.images + event.policyChanges, done: 0, deleted: 0, failed: 0, skipped: 0, imageSizeBytesDeleted: 0, finished: false},
    ]
  }
  return state.map((row) => {
    if (row.repository !== event.repository) return row
    if (event.type === 'repositoryFinished') return {...row, finished: true}
    // Actions found done or stale before the apply started are not part of `total`.
    if (event.preChecked) return row
    return {
      ...row,
      done: row.done + 1,
      deleted: row.deleted + (event.type === 'image' && event.outcome === 'deleted' ? 1 : 0),
      failed: row.failed + (event.outcome === 'failed' ? 1 : 0),
      skipped: row.skipped + (event.outcome === 'skippedStale' ? 1 : 0),
      imageSizeBytesDeleted: row.imageSizeBytesDeleted + (event.type === 'image' && event.outcome === 'deleted' ? event.sizeBytes : 0),
    }
  })
}
