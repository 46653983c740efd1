import {EcrctlError} from '../errors.js'
import type {LiveImage} from '../model/snapshot.js'

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

/**
 * ISO-8601 with an explicit zone, or a plain date (which ISO-8601 reads as UTC). Date.parse reads a
 * date-time without a zone, and most non-ISO forms, in the machine's local time: hours off, in the
 * direction that can make an image look old enough to delete.
 */
const ZONED_ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i

function parseTime(repository: string, image: LiveImage, field: string, value: unknown): number {
  const ms = typeof value === 'string' && ZONED_ISO_TIME.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) {
    throw new EcrctlError(`The snapshot has an unreadable ${field} for image ${image.digest} in repository ${repository}.`, {
      detail: `Expected an ISO-8601 time with a zone (e.g. 2025-01-31T12:00:00Z), got ${JSON.stringify(value)}.`,
      nextSteps: ['Re-take the snapshot with `ecrctl snapshot`, or fix the file if it was edited by hand.'],
    })
  }
  return ms
}
