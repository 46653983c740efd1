/**
 * `ecrctl lifecycle preview` as plain text: one line per image, newest push first, then the
 * near-expiry figures. Pure.
 */
import type {LifecyclePreview} from '../model/lifecycle-forecast.js'
import {compareStrings} from '../util/order.js'
import {printable} from '../util/printable.js'
import {plural, tagsText} from '../util/words.js'

function outcome(image: LifecyclePreview['images'][number]): string {
  if (image.now) return `${image.now.action.toUpperCase()} by rule ${image.now.rulePriority}${image.now.withSubject ? ` (with its subject ${image.now.withSubject.slice(0, 19)}…)` : ''}`
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
  for (const image of images) {
    lines.push(`  ${image.digest.slice(0, 19)}…  ${image.pushedAt.slice(0, 10)}  ${printable(tagsText(image.tags)).padEnd(28)}  ${outcome(image)}`)
  }
  if (preview.figures) {
    const f = preview.figures
    lines.push('', `Now: ${f.expireNow} expired, ${f.transitionNow} archived. Within ${f.pushWindow} pushes: ${f.withinPushes} more. Within ${f.dayWindow} days: ${f.withinDays} more.`)
  }
  return `${lines.join('\n')}\n`
}
