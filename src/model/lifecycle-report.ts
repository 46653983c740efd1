/**
 * What the plan records about lifecycle policies besides the put/delete actions (docs/lifecycle.md):
 * per managed repository with a policy, what the policy would do to the images the plan keeps,
 * and the conflicts the team accepted (`acceptLifecycleConflicts`). Display-only: apply never
 * reads it. Optional on the plan document, so plans without lifecycle policies are unchanged.
 */
import type {Reason} from './plan.js'

export interface LifecycleImageOutcome {
  imageDigest: string
  imageTags: string[]
  rulePriority: number
  action: 'expire' | 'transition'
}

/** When a policy acts on an image it spares today. */
export type LifecycleWhen =
  | {kind: 'now'}
  /** Once this many newer images the rule selects are pushed. */
  | {kind: 'afterPushes'; pushes: number}
  /** At this time (ISO-8601), assuming no pull in between for sinceImagePulled rules. */
  | {kind: 'at'; at: string}
  /** Archived first by `transitionRulePriority`, then expired by the rule named in the conflict. */
  | {kind: 'afterArchive'; transitionRulePriority: number; archiveMinimumDays: number}

export interface LifecycleConflictRecord {
  /** The rule that would expire the kept image. */
  rulePriority: number
  imageDigest: string
  imageTags: string[]
  /** Why the desired state keeps the image: the plan's protecting reasons (keep rule, image graph). */
  keptBecause: Reason[]
  when: LifecycleWhen
  /** For people: "now", "once 3 newer images are pushed", "on 2026-04-02". */
  whenText: string
  /** The acceptLifecycleConflicts entry (tag glob or digest) that accepts it, when accepted. */
  acceptedBy?: string
}

export interface LifecycleRepositoryReport {
  repository: string
  /** Which policy was evaluated: the desired one, or the live one when lifecycle is unmanaged. */
  policy: 'desired' | 'live'
  /** Images of the repository after the plan (the kept ones) the policy acts on at evaluation time. */
  actedOnNow: LifecycleImageOutcome[]
  /** Images not acted on now that would be once at most `pushWindow` newer matching images are pushed. */
  withinPushes: number
  /** Images not acted on now that would be within `dayWindow` days. */
  withinDays: number
  pushWindow: number
  dayWindow: number
  /** Conflicts with kept images that the desired state accepts explicitly. */
  acceptedConflicts: LifecycleConflictRecord[]
}
