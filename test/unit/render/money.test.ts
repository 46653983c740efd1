/**
 * Money is rounded where it is shown, by one formatter: the plan keeps the estimate as computed, so
 * a saving below half a cent reads "< $0.01" (docs/output.md), never "$0.00".
 */
import {describe, expect, it} from 'vitest'
import {createPlan} from '../../../src/planner/plan.js'
import {sealPlan} from '../../../src/planfile/seal.js'
import {formatUsd, summarySentence} from '../../../src/render/format.js'
import {desired, entry, image, planOptions, repo, rule, snapshot} from '../../support/builders.js'

describe('the saving estimate', () => {
  it('27 MB at $0.10/GB-month reads "< $0.01/month", not "$0.00/month"', () => {
    const live = snapshot([repo('app', [image({tag: 'keep'}), image({tag: 'old', sizeBytes: 27_000_000})])])
    const plan = sealPlan(createPlan(desired({entries: [entry('app', [rule({tags: ['keep']})])]}), live, planOptions))
    expect(plan.summary.estimatedMonthlySavingsUsd).toBeCloseTo(0.0027, 10)
    expect(summarySentence(plan)).toContain('Estimated saving ≈ < $0.01/month')
  })

  it('rounds to the cent only when shown', () => {
    expect([formatUsd(0), formatUsd(0.0027), formatUsd(0.005), formatUsd(0.3149), formatUsd(12.345)]).toEqual(['$0.00', '< $0.01', '$0.01', '$0.31', '$12.35'])
  })
})
