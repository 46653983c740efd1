/**
 * Apply progress as plain lines, one per event, for CI logs and pipes (no Ink, no colour).
 *
 *   spaceport/sfm: 12 images to delete (sum of image sizes 1.2 GB), 1 lifecycle policy change
 *   spaceport/sfm: deleted sha256:0a1b…(64 hex digits) (20240101-1200)
 *   spaceport/sfm: skipped (stale) sha256:9f8e…(64 hex digits) (<untagged>): tag hotfix added since the plan
 *
 * Digests are printed whole: a log of what was deleted must name each image exactly.
 */
import type {ApplyEvent} from '../model/apply-events.js'
import {freedBytesText} from '../util/bytes.js'
import {printable} from '../util/printable.js'
import {plural, tagsText} from '../util/words.js'

/** One line per event; names, tags and registry messages cannot carry control characters into the log. */
export function formatApplyEvent(event: ApplyEvent): string | undefined {
  const line = describeApplyEvent(event)
  return line === undefined ? undefined : printable(line)
}

function describeApplyEvent(event: ApplyEvent): string | undefined {
  switch (event.type) {
    case 'repositoryStarted': {
      const parts: string[] = []
      if (event.images > 0) parts.push(`${plural(event.images, 'image')} to delete (${freedBytesText(event.imageSizeBytes, undefined)})`)
      if (event.policyChanges > 0) parts.push(`${event.policyChanges} lifecycle policy change`)
      return parts.length > 0 ? `${event.repository}: ${parts.join(', ')}` : undefined
    }
    case 'image': {
      const what = `${event.imageDigest} (${tagsText(event.imageTags)})`
      const detail = [event.code, event.message].filter(Boolean).join(': ')
      switch (event.outcome) {
        case 'deleted':
          return `${event.repository}: ${event.confirmedOnRetry ? 'deleted (confirmed on retry)' : 'deleted'} ${what}`
        case 'alreadyGone':
          return `${event.repository}: already gone ${what}`
        case 'skippedStale':
          return `${event.repository}: skipped (stale) ${what}: ${event.message ?? 'changed since the plan'}`
        case 'failed':
          return `${event.repository}: FAILED ${what}: ${detail}`
      }
      return undefined
    }
    case 'policy': {
      const verb = event.action === 'putLifecyclePolicy' ? 'put' : 'delete'
      switch (event.outcome) {
        case 'applied':
          return `${event.repository}: lifecycle policy ${verb === 'put' ? 'put' : 'deleted'}`
        case 'alreadyDone':
          return `${event.repository}: lifecycle policy already as planned`
        case 'skippedStale':
          return `${event.repository}: skipped (stale) lifecycle policy ${verb}: ${event.message ?? 'changed since the plan'}`
        case 'failed':
          return `${event.repository}: FAILED lifecycle policy ${verb}: ${[event.code, event.message].filter(Boolean).join(': ')}`
      }
      return undefined
    }
    case 'repositoryFinished':
      return undefined
  }
}
