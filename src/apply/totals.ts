/**
 * Apply's totals as a fold over its event stream: the same events the progress view, the audit log
 * and the JSON result see, so the summary can never count differently from what was shown.
 */
import type {ApplyEvent} from '../model/apply-events.js'
import type {ApplyTotals} from '../model/apply-result.js'

export function emptyTotals(): ApplyTotals {
  return {
    imagesDeleted: 0,
    imagesConfirmedOnRetry: 0,
    imagesAlreadyGone: 0,
    imagesSkippedStale: 0,
    imagesFailed: 0,
    imageSizeBytesDeleted: 0,
    policiesApplied: 0,
    policiesAlreadyDone: 0,
    policiesSkippedStale: 0,
    policiesFailed: 0,
  }
}

/** The totals after one more event (a new object; `totals` is not changed). */
export function addEventToTotals(totals: ApplyTotals, event: ApplyEvent): ApplyTotals {
  const next = {...totals}
  if (event.type === 'image') {
    if (event.outcome === 'deleted') {
      next.imagesDeleted++
      if (event.confirmedOnRetry) next.imagesConfirmedOnRetry++
      next.imageSizeBytesDeleted += event.sizeBytes
    } else if (event.outcome === 'alreadyGone') next.imagesAlreadyGone++
    else if (event.outcome === 'skippedStale') next.imagesSkippedStale++
    else next.imagesFailed++
  } else if (event.type === 'policy') {
    if (event.outcome === 'applied') next.policiesApplied++
    else if (event.outcome === 'alreadyDone') next.policiesAlreadyDone++
    else if (event.outcome === 'skippedStale') next.policiesSkippedStale++
    else next.policiesFailed++
  }
  return next
}

export function totalsOf(events: Iterable<ApplyEvent>): ApplyTotals {
  let totals = emptyTotals()
  for (const event of events) totals = addEventToTotals(totals, event)
  return totals
}
