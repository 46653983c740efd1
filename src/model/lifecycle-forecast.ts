/**
 * What the offline lifecycle evaluator (src/lifecycle/evaluate.ts) says about images: which rule
 * acts on each now, and when it would act on those it spares today. Data for the planner and the
 * `lifecycle preview` renderer.
 */
import type {LifecyclePolicyDoc, LifecycleRule} from './desired.js'

export type LifecycleAction = 'expire' | 'transition'

export interface LifecycleDecision {
  rulePriority: number
  action: LifecycleAction
  /** Set for a referrer (signature, SBOM) that goes with its subject rather than by its own rule. */
  withSubject?: string
}

/** Why a rule cannot act on an image, for previews. */
export type ShieldReason = 'indexChild' | 'referrer' | 'activating'

export interface ImageForecast {
  digest: string
  /** The only rule that may ever act on the image (the first whose selection identifies it). */
  claimedBy?: {rulePriority: number; action: LifecycleAction; countType: LifecycleRule['selection']['countType']}
  /** Acted on at the evaluation time. */
  now: LifecycleDecision | null
  /** Count rules: acted on once this many newer images the claiming rule identifies are pushed. */
  afterPushes?: number
  /** Since rules: acted on at this time (assuming no pull for sinceImagePulled). */
  at?: string
  shieldedAs?: ShieldReason
}

export interface LifecycleFigures {
  expireNow: number
  transitionNow: number
  /** Not acted on now, but acted on once at most `pushWindow` newer matching images are pushed. */
  withinPushes: number
  /** Not acted on now, but acted on within `dayWindow` days. */
  withinDays: number
  pushWindow: number
  dayWindow: number
}

/** `ecrctl lifecycle preview`: the evaluator's view of one repository, without planning. */
export interface LifecyclePreview {
  repository: string
  evaluatedAt: string
  policySource: 'desired' | 'live' | 'none'
  policy?: LifecyclePolicyDoc
  images: Array<ImageForecast & {tags: string[]; pushedAt: string}>
  figures?: LifecycleFigures
}
