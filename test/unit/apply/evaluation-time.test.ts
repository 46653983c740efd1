/**
 * A plan evaluated in the future measured ages, grace periods and keep windows from a time that has
 * not come: apply refuses it beyond the stated clock skew, and `plan --now` warns when it makes one.
 */
import {describe, expect, it} from 'vitest'
import {checkEvaluationTime} from '../../../src/apply/preconditions.js'
import {futureEvaluationWarning} from '../../../src/commands/_shared/plan-options.js'
import {isEcrctlError} from '../../../src/errors.js'
import {PLAN_CLOCK_SKEW_MS} from '../../../src/model/plan.js'
import {MINUTE_MS} from '../../../src/util/time.js'

const NOW = new Date('2026-12-01T12:00:00.000Z')
const at = (offsetMs: number) => ({evaluatedAt: new Date(NOW.getTime() + offsetMs).toISOString()})

function refusalOf(run: () => void) {
  try {
    run()
  } catch (error) {
    if (isEcrctlError(error)) return error
    throw error
  }
  return undefined
}

describe('checkEvaluationTime (apply)', () => {
  it('states a five-minute clock skew', () => {
    expect(PLAN_CLOCK_SKEW_MS).toBe(5 * MINUTE_MS)
  })

  it.each([
    ['in the past', -3 * 86_400_000],
    ['now', 0],
    ['within the skew', PLAN_CLOCK_SKEW_MS],
  ])('accepts a plan evaluated %s', (_label, offset) => {
    expect(() => checkEvaluationTime(at(offset), NOW)).not.toThrow()
  })

  it.each([
    ['one second past the skew', PLAN_CLOCK_SKEW_MS + 1000],
    ['four days ahead (plan --now 2026-12-05 on 2026-12-01)', 4 * 86_400_000],
    ['in 2099', Date.parse('2099-01-01T00:00:00Z') - NOW.getTime()],
  ])('refuses a plan evaluated %s, with its own message', (_label, offset) => {
    const error = refusalOf(() => checkEvaluationTime(at(offset), NOW))
    expect(error?.kind).toBe('refused')
    expect(error?.message).toMatch(/^This plan was evaluated at .+, later than the current time \(2026-12-01T12:00:00.000Z\); nothing was changed\.$/)
    expect(error?.detail).toMatch(/grace period/)
    expect(error?.detail).toMatch(/5 minutes of clock skew/)
    expect(error?.nextSteps.join(' ')).toMatch(/ecrctl plan/)
  })
})

describe('futureEvaluationWarning (plan --now)', () => {
  it('warns when --now is later than the current time beyond the skew and the registry is read live', () => {
    const warning = futureEvaluationWarning(new Date(NOW.getTime() + 86_400_000), {live: true, clock: () => NOW})
    expect(warning).toMatch(/--now 2026-12-02T12:00:00.000Z is in the future/)
    expect(warning).toMatch(/apply refuses this plan until 2026-12-02T11:55:00.000Z/)
  })

  it('says nothing for a past or present --now, or for an offline plan (--live-state)', () => {
    expect(futureEvaluationWarning(new Date(NOW.getTime() - 86_400_000), {live: true, clock: () => NOW})).toBeUndefined()
    expect(futureEvaluationWarning(new Date(NOW.getTime() + PLAN_CLOCK_SKEW_MS), {live: true, clock: () => NOW})).toBeUndefined()
    expect(futureEvaluationWarning(new Date(NOW.getTime() + 86_400_000), {live: false, clock: () => NOW})).toBeUndefined()
  })
})
