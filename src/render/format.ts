/**
 * Formatting helpers shared by the text and markdown renderers. Pure; no decisions, only words.
 */
import type {PlanDocument} from '../model/plan.js'
import {freedBytesText} from '../util/bytes.js'
import {plural} from '../util/words.js'
import {reasonDigests} from './reasons.js'

/** Dollars with cents; fractions of a cent are shown as "< $0.01" rather than a misleading $0.00. */
export function formatUsd(amount: number): string {
  if (amount > 0 && amount < 0.005) return '< $0.01'
  return `$${amount.toFixed(2)}`
}

/** A price per GB-month keeps its significant digits: $0.10, $0.085. */
export function formatPrice(price: number): string {
  const text = price.toFixed(4).replace(/0+$/, '')
  const [whole, fraction = ''] = text.split('.')
  return `$${whole}.${fraction.padEnd(2, '0')}`
}

/** `2025-01-01 12:00` (UTC, minutes): enough to compare with grace periods, short enough for a column. */
export function formatTimestamp(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso)
  return match ? `${match[1]} ${match[2]}` : iso
}

/** Every digest a plan mentions (images, the images their reasons name, warnings), for a shortener that is unambiguous across the whole plan. */
export function planDigests(plan: PlanDocument): string[] {
  const digests: string[] = []
  for (const action of plan.actions) {
    if (action.type !== 'deleteImage') continue
    digests.push(action.imageDigest)
    for (const digest of reasonDigests(action.reasons)) digests.push(digest)
  }
  for (const image of plan.kept) {
    digests.push(image.imageDigest)
    for (const digest of reasonDigests(image.reasons)) digests.push(digest)
  }
  for (const warning of plan.warnings) if (warning.imageDigest) digests.push(warning.imageDigest)
  return digests
}

/**
 * "Plan: delete 37 images (sum of image sizes 12.3 GB; unique bytes freed 3.1 GB) in 4 repositories;
 * keep 21 (4 in use). Estimated saving ≈ … (estimate, from unique bytes freed)." or "No changes. …"
 */
export function summarySentence(plan: PlanDocument): string {
  const {summary} = plan
  const deletingRepositories = summary.repositories.filter((r) => r.imagesDeleted > 0).length
  const managed = plan.managedRepositories.length
  // in-use evidence, when the plan collected any: how many kept images it keeps
  const inUse = summary.imagesKeptInUse === undefined ? '' : ` (${summary.imagesKeptInUse} in use)`
  if (plan.actions.length === 0) {
    return `No changes. Nothing to delete; keeping ${plural(summary.imagesKept, 'image')}${inUse} in ${plural(managed, 'managed repository', 'managed repositories')}.`
  }
  const changes: string[] = []
  if (summary.imagesDeleted > 0) {
    changes.push(
      `delete ${plural(summary.imagesDeleted, 'image')} (${freedBytesText(summary.bytesDeleted, summary.uniqueBytesFreed)}) in ${plural(deletingRepositories, 'repository', 'repositories')}`,
    )
  }
  if (summary.lifecyclePolicyChanges > 0) {
    changes.push(`change ${plural(summary.lifecyclePolicyChanges, 'lifecycle policy', 'lifecycle policies')}`)
  }
  let sentence = `Plan: ${changes.join(', ')}; keep ${summary.imagesKept}${inUse}.`
  if (summary.imagesDeleted > 0) {
    const basis =
      summary.estimateBasis === 'uniqueBytes'
        ? 'estimate, from unique bytes freed'
        : 'estimate, from the sum of image sizes, which overstates shared layers; unique bytes need every manifest read'
    sentence += ` Estimated saving ≈ ${formatUsd(summary.estimatedMonthlySavingsUsd)}/month at ${formatPrice(summary.pricePerGbMonth)}/GB-month (${basis}).`
  }
  return sentence
}

/** Set when the plan deletes more than the desired state's maxDeletions: apply will refuse it. */
export function maxDeletionsWarning(plan: PlanDocument): string | undefined {
  if (plan.maxDeletions === undefined || plan.summary.imagesDeleted <= plan.maxDeletions) return undefined
  return `This plan deletes ${plural(plan.summary.imagesDeleted, 'image')}, more than maxDeletions (${plan.maxDeletions}) of the desired state; apply will refuse it. Narrow the plan or raise defaults.maxDeletions.`
}
