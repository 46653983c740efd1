import {describe, expect, it} from 'vitest'
import {parsePlan} from '../../../src/planfile/read.js'
import {sealPlan, serializePlan} from '../../../src/planfile/seal.js'
import {createPlan} from '../../../src/planner/plan.js'
import {desired, entry, image, planOptions, repo, rule, snapshot} from '../../support/builders.js'

// NOW is 2025-02-01T00:00:00Z; the default grace period is 24h.
describe('createPlan: snapshot times must say their zone', () => {
  it('refuses a push time without a zone (it would be read in local time, e.g. 14 h earlier at UTC+14)', () => {
    const act = () =>
      createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', [image({pushedAt: '2025-01-31T12:00:00'})])]), planOptions)
    expect(act).toThrow(/unreadable pushedAt/)
  })

  it('refuses a pull time without a zone', () => {
    const pulled = image({pushedAt: '2024-01-01T00:00:00Z', lastPulledAt: '2025-01-31T12:00:00'})
    const act = () =>
      createPlan(desired({entries: [entry('app', [rule({pulledWithinMs: 86_400_000})])]}), snapshot([repo('app', [pulled])]), planOptions)
    expect(act).toThrow(/unreadable lastPulledAt/)
  })

  it('accepts UTC, offsets and plain dates (which ISO-8601 reads as UTC)', () => {
    const images = ['2025-01-31T12:00:00Z', '2025-01-31T21:00:00+09:00', '2025-01-31T12:00:00.123z', '2024-06-01'].map((pushedAt, i) =>
      image({pushedAt, tag: `t${i}`}),
    )
    const plan = createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', images)]), planOptions)
    expect(plan.kept.map((kept) => kept.imageTags[0]).sort()).toEqual(['t0', 't1', 't2'])
    expect(plan.actions.map((action) => action.type === 'deleteImage' && action.imageTags[0])).toEqual(['t3'])
  })

  it('writes a plan file that reads back when the snapshot gives plain dates (the plan and the snapshot accept the same times)', () => {
    const images = [image({pushedAt: '2024-06-01', tag: 'old'}), image({pushedAt: '2025-01-31T21:00:00+09:00', tag: 'new'})]
    const plan = sealPlan(createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', images)]), planOptions))
    expect(plan.actions.map((action) => action.type === 'deleteImage' && action.imagePushedAt)).toEqual(['2024-06-01'])
    expect(parsePlan(serializePlan(plan), 'plan.json')).toEqual(plan)
  })
})
