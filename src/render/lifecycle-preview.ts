/**
 * `ecrctl lifecycle preview` as plain text: one line per image, newest push first, then the
 * near-expiry figures. Pure.
 */
import type {LifecyclePreview} from '../model/lifecycle-forecast.js'
import {compareStrings} from '../util/order.js'
import {printable} from '../util/printable.js'
import {type DigestShortener, digestShortener} from '../util/short-digest.js'
import {plural, tagsText} from '../util/words.js'

function outcome(image: LifecyclePreview['images'][number], short: DigestShortener): string {
  if (image.now) return `${image.now.action.toUpperCase()} by rule ${image.now.rulePriority}${image.now.withSubject ? ` (with its subject ${short(image.now.withSubject)})` : ''}`
  if (image.shieldedAs === 'indexChild') return 'kept: child of an index in the repository'
  if (image.shieldedAs === 'referrer') return 'kept: follows its subject'
  if (image.shieldedAs === 'activating') return 'kept: being restored from archive'
  if (!image.claimedBy) return 'kept: no rule selects it'
  const rule = `rule ${image.claimedBy.rulePriority} (${image.claimedBy.action})`
  if (image.afterPushes !== undefined) return `kept: ${rule} acts after ${plural(image.afterPushes, 'more matching push', 'more matching pushes')}`
  if (image.at !== undefined) return `kept: ${rule} acts on ${image.at.slice(0, 10)}`
  return `kept: ${rule}`
}

/** Plain text, one line per image, newest push first, then the near-expiry figures. */
export function renderLifecyclePreview(preview: LifecyclePreview): string {
  const lines = [`Lifecycle preview of ${printable(preview.repository)} at ${preview.evaluatedAt} (${preview.policySource === 'none' ? 'no policy' : `${preview.policySource} policy`})`]
  const images = [...preview.images].sort((a, b) => Date.parse(b.pushedAt) - Date.parse(a.pushedAt) || compareStrings(a.digest, b.digest))
  const short = digestShortener(images.map((image) => image.digest))
  const digestWidth = Math.max(0, ...images.map((image) => short.known(image.digest).length))
  for (const image of images) {
    lines.push(`  ${short.known(image.digest).padEnd(digestWidth)}  ${image.pushedAt.slice(0, 10)}  ${printable(tagsText(image.tags)).padEnd(28)}  ${outcome(image, short)}`)
  }
  if (preview.figures) {
    const f = preview.figures
    lines.push('', `Now: ${f.expireNow} expired, ${f.transitionNow} archived. Within ${f.pushWindow} pushes: ${f.withinPushes} more. Within ${f.dayWindow} days: ${f.withinDays} more.`)
  }
  return `${lines.join('\n')}\n`
}
