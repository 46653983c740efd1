/**
 * Keep rules, compiled once per desired state and applied per repository.
 *
 * A rule matches an image when every condition it names holds; `newest: N` then narrows the
 * matches to the N most recently pushed (ties broken by ascending digest, so the choice is
 * deterministic). Cost per repository: one pass per rule, plus one sort of the matches for rules
 * with `newest`.
 */
import type {KeepRule} from '../model/desired.js'
import {compareStrings} from '../util/order.js'
import {compileGlob, isGlob} from '../util/glob.js'
import type {TimedImage} from './timed-image.js'

export interface CompiledKeepRule {
  rule: KeepRule
  /** True when every condition of the rule (before `newest`) holds for the image. */
  conditionsHold(image: TimedImage, nowMs: number): boolean
}

export function compileKeepRule(rule: KeepRule): CompiledKeepRule {
  const checks: Array<(image: TimedImage, nowMs: number) => boolean> = []

  if (rule.tags !== undefined) {
    const exactTags = new Set(rule.tags.filter((glob) => !isGlob(glob)))
    const tagPatterns = rule.tags.filter(isGlob).map(compileGlob)
    checks.push(({image}) =>
      image.tags.some((tag) => exactTags.has(tag) || tagPatterns.some((matches) => matches(tag))),
    )
  }
  if (rule.digests !== undefined) {
    const digests = new Set(rule.digests)
    checks.push(({image}) => digests.has(image.digest))
  }
  if (rule.pushedWithinMs !== undefined) {
    const windowMs = rule.pushedWithinMs
    checks.push(({pushedMs}, nowMs) => nowMs - pushedMs < windowMs)
  }
  if (rule.pulledWithinMs !== undefined) {
    const windowMs = rule.pulledWithinMs
    checks.push(({pulledMs}, nowMs) => pulledMs !== undefined && nowMs - pulledMs < windowMs)
  }

  return {
    rule,
    conditionsHold: (image, nowMs) => checks.every((check) => check(image, nowMs)),
  }
}

/** Newest push first; equal push times in ascending digest order. */
export function byNewestPush(a: TimedImage, b: TimedImage): number {
  return b.pushedMs - a.pushedMs || compareStrings(a.image.digest, b.image.digest)
}

export interface RuleOutcome {
  /** The images the rule keeps, with their rank when `newest` narrowed them (1 = newest). */
  kept: Array<{image: TimedImage; rank?: number}>
  /** How many images matched the conditions before `newest` narrowed them. */
  matchCount: number
}

export function applyKeepRule(compiled: CompiledKeepRule, images: readonly TimedImage[], nowMs: number): RuleOutcome {
  const matches = images.filter((image) => compiled.conditionsHold(image, nowMs))
  const newest = compiled.rule.newest
  if (newest === undefined) return {kept: matches.map((image) => ({image})), matchCount: matches.length}
  matches.sort(byNewestPush)
  return {
    kept: matches.slice(0, Math.max(0, newest)).map((image, index) => ({image, rank: index + 1})),
    matchCount: matches.length,
  }
}
