import {EcrctlError} from '../errors.js'
import type {LiveImage} from '../model/snapshot.js'
import {parseZonedTime} from '../util/time.js'

/** A snapshot image with its times parsed once, so rules compare numbers instead of re-parsing. */
export interface TimedImage {
  image: LiveImage
  pushedMs: number
  /** Absent when the image was never pulled. */
  pulledMs?: number
}

/**
 * Parses an image's times. A time that does not parse is refused rather than guessed: a wrong
 * push time could make an image look old enough to delete.
 */
export function timeImage(repository: string, image: LiveImage): TimedImage {
  const pushedMs = parseTime(repository, image, 'pushedAt', image.pushedAt)
  if (image.lastPulledAt === undefined) return {image, pushedMs}
  return {image, pushedMs, pulledMs: parseTime(repository, image, 'lastPulledAt', image.lastPulledAt)}
}

/** A time without a zone is refused (see util/time.ts): read in local time, it is hours off. */
function parseTime(repository: string, image: LiveImage, field: string, value: unknown): number {
  const ms = parseZonedTime(value)
  if (ms === undefined) {
    throw new EcrctlError(`The snapshot has an unreadable ${field} for image ${image.digest} in repository ${repository}.`, {
      detail: `Expected an ISO-8601 time with a zone (e.g. 2025-01-31T12:00:00Z), got ${JSON.stringify(value)}.`,
      nextSteps: ['Re-take the snapshot with `ecrctl snapshot`, or fix the file if it was edited by hand.'],
    })
  }
  return ms
}
