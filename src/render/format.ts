/**
 * Formatting helpers shared by the text and markdown renderers. Pure; no decisions, only words.
 */
import type {PlanDocument} from '../model/plan.js'
import {formatBytes} from '../util/bytes.js'
import {plural} from '../util/words.js'

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

/**
 * Shortens digests to the shortest hex prefix of at least 12 characters that no other digest in
 * the set shares, so a short digest in a review still names exactly one image.
 *
 * Built for a million digests: they are grouped by their minimal short form; almost every group
 * holds one digest, which then needs nothing more, and only the rare groups that share it are
 * sorted to find how far each must grow. (Sorting all of them took seconds.)
 */
export interface DigestShortener {
  (digest: string): string
  /**
   * The same answer, faster, for a digest that was in the set (a renderer's own rows): it skips
   * finding out whether the digest is known. Never call it with any other digest.
   */
  known: (digest: string) => string
}

export function digestShortener(digests: Iterable<string>, minHex = 12): DigestShortener {
  const list = Array.isArray(digests) ? (digests as string[]) : [...digests]
  // Without an algorithm prefix a digest could share its minimal form with a longer one of
  // another group (the grouping relies on "sha256:"-like prefixes): compare them all instead.
  if (!list.every((digest) => digest.includes(':'))) {
    const lengths = new Map<string, number>()
    setSharedLengths([...new Set(list)], minHex, lengths)
    const short = (digest: string) => digest.slice(0, lengths.get(digest) ?? digest.length)
    return Object.assign(short, {known: short})
  }
  /** Minimal short form → the one digest that has it, or all of them (deduplicated) when several do. */
  const groups = new Map<string, string | string[]>()
  for (const digest of list) {
    const key = minimalShortForm(digest, minHex)
    const found = groups.get(key)
    if (found === undefined) groups.set(key, digest)
    else if (typeof found === 'string') {
      if (found !== digest) groups.set(key, [found, digest])
    } else if (!found.includes(digest)) found.push(digest)
  }
  const lengths = new Map<string, number>()
  for (const group of groups.values()) if (typeof group !== 'string') setSharedLengths(group, minHex, lengths)
  const short = (digest: string) => {
    const key = minimalShortForm(digest, minHex)
    const group = groups.get(key)
    if (group === digest) return key
    return typeof group === 'string' || group === undefined ? digest : digest.slice(0, lengths.get(digest) ?? digest.length)
  }
  // a known digest is alone in its group (its minimal form) unless it has a length of its own
  const known = (digest: string) => {
    const length = lengths.size > 0 ? lengths.get(digest) : undefined
    return length === undefined ? minimalShortForm(digest, minHex) : digest.slice(0, length)
  }
  return Object.assign(short, {known})
}

function minimalShortForm(digest: string, minHex: number): string {
  return digest.slice(0, digest.indexOf(':') + 1 + minHex)
}

/**
 * Each digest of a set (deduplicated) grows from its minimal form until its sorted neighbours no
 * longer share it. For a group of one minimal form, digests outside the group share less than
 * that form with it, so the group alone decides.
 */
function setSharedLengths(group: string[], minHex: number, lengths: Map<string, number>): void {
  const sorted = [...group].sort()
  sorted.forEach((digest, i) => {
    const hexStart = digest.indexOf(':') + 1
    const shared = Math.max(
      i > 0 ? commonPrefixLength(digest, sorted[i - 1]!) : 0,
      i < sorted.length - 1 ? commonPrefixLength(digest, sorted[i + 1]!) : 0,
    )
    lengths.set(digest, Math.min(digest.length, Math.max(hexStart + minHex, shared + 1)))
  })
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1
  return i
}

/** Every digest a plan mentions, for a shortener that is unambiguous across the whole plan. */
export function planDigests(plan: PlanDocument): string[] {
  const digests: string[] = []
  for (const action of plan.actions) if (action.type === 'deleteImage') digests.push(action.imageDigest)
  for (const image of plan.kept) digests.push(image.imageDigest)
  for (const warning of plan.warnings) if (warning.imageDigest) digests.push(warning.imageDigest)
  return digests
}

/**
 * The sizes a deletion frees, labelled: "sum of image sizes 8.7 GB; unique bytes freed 2.1 GB", or
 * only the sum when unique bytes are unknown (not every manifest was read). The sum counts a shared
 * layer once per image; unique bytes count each blob once, and only when nothing kept uses it.
 */
export function freedBytesText(bytesDeleted: number, uniqueBytesFreed: number | undefined): string {
  const sum = `sum of image sizes ${formatBytes(bytesDeleted)}`
  return uniqueBytesFreed === undefined ? sum : `${sum}; unique bytes freed ${formatBytes(uniqueBytesFreed)}`
}

/**
 * "Plan: delete 37 images (sum of image sizes 12.3 GB; unique bytes freed 3.1 GB) in 4 repositories;
 * keep 21. Estimated saving ≈ … (estimate, from unique bytes freed)." or "No changes. …"
 */
export function summarySentence(plan: PlanDocument): string {
  const {summary} = plan
  const deletingRepositories = summary.repositories.filter((r) => r.imagesDeleted > 0).length
  const managed = plan.managedRepositories.length
  if (plan.actions.length === 0) {
    return `No changes. Nothing to delete; keeping ${plural(summary.imagesKept, 'image')} in ${plural(managed, 'managed repository', 'managed repositories')}.`
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
  let sentence = `Plan: ${changes.join(', ')}; keep ${summary.imagesKept}.`
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
