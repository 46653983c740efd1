/**
 * Whether apply may proceed, must refuse, or must ask — a plain function, so the rule is tested
 * without a terminal. The Ink screen (src/ui/ConfirmApply.tsx) only collects what is typed.
 *
 * Typing the account id (not just "yes") when images are deleted makes the reviewer look at which
 * registry they are about to change.
 */
import {EcrctlError} from '../errors.js'
import type {DeleteImageAction, RepositorySummary} from '../model/plan.js'
import {compareStrings} from '../util/order.js'
import type {ActionCheck} from './preconditions.js'

export type ConfirmDecision =
  | {kind: 'proceed'}
  | {kind: 'refuse'; error: EcrctlError}
  | {kind: 'prompt'; expectedAnswer: string}

export interface ConfirmInput {
  autoApprove: boolean
  /** stdin and stdout are both terminals. */
  interactive: boolean
  accountId: string
  /** Images that will actually be deleted (pending), not the plan's total. */
  pendingDeletions: number
}

export function decideConfirmation(input: ConfirmInput): ConfirmDecision {
  if (input.autoApprove) return {kind: 'proceed'}
  if (!input.interactive) {
    return {
      kind: 'refuse',
      error: new EcrctlError('Apply needs confirmation, and there is no terminal to ask in; nothing was changed.', {
        kind: 'refused',
        detail: 'Standard input or output is not a terminal (CI, a pipe or a script).',
        nextSteps: ['Review the plan (`ecrctl show PLAN`), then re-run with --auto-approve to apply it without a prompt.'],
      }),
    }
  }
  return {kind: 'prompt', expectedAnswer: input.pendingDeletions > 0 ? input.accountId : 'yes'}
}

export function answerConfirms(expectedAnswer: string, typed: string): boolean {
  return typed.trim() === expectedAnswer
}

/**
 * One chunk of what the terminal delivered, added to the answer so far. A paste arrives as one
 * chunk, and Ink passes it whole, Enter included ("123456789012\r"), without setting `key.return`:
 * the first line break ends the answer exactly as a typed Enter does, and whatever follows it is
 * not part of the answer. Other control characters never reach the answer (nor the screen).
 */
export function addTypedChunk(typed: string, chunk: string): {typed: string; entered: boolean} {
  const lineBreak = chunk.search(/[\r\n]/)
  const text = (lineBreak === -1 ? chunk : chunk.slice(0, lineBreak)).replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
  return {typed: typed + text, entered: lineBreak !== -1}
}

export interface RepositoryChangeSummary {
  repository: string
  imagesToDelete: number
  /** Sum of imageSizeInBytes of the images to delete (the plan's "sum of image sizes"). */
  imageSizeBytesToDelete: number
  /**
   * The plan's unique bytes freed for this repository, when every deletion the plan made for it is
   * still to do (otherwise the figure describes work partly done: absent).
   */
  uniqueBytesFreed?: number
  /** Already deleted / already applied: nothing to do for these. */
  alreadyDone: number
  skippedStale: number
  policyChange?: 'put' | 'delete'
}

/** What the confirmation screen (and the plain summary) shows: only the work still to do. */
export function summarizePendingWork(
  checks: readonly ActionCheck[],
  planSummary?: {repositories: ReadonlyArray<Pick<RepositorySummary, 'repository' | 'imagesDeleted' | 'uniqueBytesFreed'>>},
): RepositoryChangeSummary[] {
  const rows = new Map<string, RepositoryChangeSummary>()
  for (const check of checks) {
    const {action} = check
    const row = rows.get(action.repository) ?? {
      repository: action.repository,
      imagesToDelete: 0,
      imageSizeBytesToDelete: 0,
      alreadyDone: 0,
      skippedStale: 0,
    }
    rows.set(action.repository, row)
    if (check.status === 'done') row.alreadyDone++
    else if (check.status === 'stale') row.skippedStale++
    else if (action.type === 'deleteImage') {
      row.imagesToDelete++
      row.imageSizeBytesToDelete += (action as DeleteImageAction).sizeBytes
    } else row.policyChange = action.type === 'putLifecyclePolicy' ? 'put' : 'delete'
  }
  for (const planned of planSummary?.repositories ?? []) {
    const row = rows.get(planned.repository)
    if (row && planned.uniqueBytesFreed !== undefined && row.imagesToDelete > 0 && row.imagesToDelete === planned.imagesDeleted)
      row.uniqueBytesFreed = planned.uniqueBytesFreed
  }
  return [...rows.values()].sort((a, b) => compareStrings(a.repository, b.repository))
}
