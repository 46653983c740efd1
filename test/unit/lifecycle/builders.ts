import {createHash} from 'node:crypto'
import {evaluateLifecyclePolicy} from '../../../src/lifecycle/evaluate.js'
import type {LifecyclePolicyDoc, LifecycleRule} from '../../../src/model/desired.js'
import type {Reason} from '../../../src/model/plan.js'
import type {LiveImage} from '../../../src/model/snapshot.js'

export const NOW = new Date('2026-03-01T12:00:00.000Z')
const DAY = 86_400_000

export const daysAgo = (days: number, extraMs = 0): string => new Date(NOW.getTime() - days * DAY + extraMs).toISOString()

/** A test image: the digest is derived from the name, so expectations can use names. */
export function image(name: string, tags: string[], pushedDaysAgo: number, extra: Partial<LiveImage> = {}): LiveImage {
  return {
    digest: digestOf(name),
    tags: [...tags].sort(),
    pushedAt: daysAgo(pushedDaysAgo),
    sizeBytes: 1000,
    ...extra,
  }
}

export function digestOf(name: string): string {
  const digest = `sha256:${createHash('sha256').update(name).digest('hex')}`
  names.set(digest, name)
  return digest
}

export function rule(rulePriority: number, selection: LifecycleRule['selection'], action: LifecycleRule['action'] = {type: 'expire'}): LifecycleRule {
  return {rulePriority, description: `Rule ${rulePriority}`, selection, action}
}

export const policy = (...rules: LifecycleRule[]): LifecyclePolicyDoc => ({rules})

const names = new Map<string, string>()

/** Names of the images the evaluation acts on with `action`, sorted. */
export function actedOn(policyDoc: LifecyclePolicyDoc, images: LiveImage[], action: 'expire' | 'transition' = 'expire', now = NOW): string[] {
  const {decisions} = evaluateLifecyclePolicy(policyDoc, images, now)
  return images
    .filter((img) => decisions.get(img.digest)?.action === action)
    .map((img) => names.get(img.digest) ?? img.digest)
    .sort()
}

/** The reasons a protected image is kept for: one keep rule, named by its label. */
export const keptBy = (rule: string): Reason[] => [{code: 'keepRule', entry: 'app', index: 0, rule}]
