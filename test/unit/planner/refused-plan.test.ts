/**
 * A lifecycle conflict refuses the whole plan, and the refusal carries what the rest of the plan
 * would do, as data (the words are src/render/refusal.ts's).
 */
import {describe, expect, it} from 'vitest'
import {PlanRefusedError} from '../../../src/model/plan-refusal.js'
import {createPlan} from '../../../src/planner/plan.js'
import {restOfPlanText, withRestOfPlan} from '../../../src/render/refusal.js'
import {EcrctlError} from '../../../src/errors.js'
import {daysAgo, desired, entry, image, planOptions, repo, rule, snapshot} from '../../support/builders.js'

const expireAllButOne = {
  rules: [{rulePriority: 1, selection: {tagStatus: 'any' as const, countType: 'imageCountMoreThan' as const, countNumber: 1}, action: {type: 'expire' as const}}],
}

function refusal(run: () => unknown): PlanRefusedError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PlanRefusedError)
    return error as PlanRefusedError
  }
  throw new Error('expected the plan to be refused')
}

describe('a refused plan still knows the rest of the plan', () => {
  const live = snapshot([
    repo('app', [image({tag: 'v1', pushedAt: daysAgo(30)}), image({tag: 'v2', pushedAt: daysAgo(20)}), image({pushedAt: daysAgo(10), sizeBytes: 5})]),
    repo('lib', [image({tag: 'keep'}), image({tag: 'old', sizeBytes: 3}), image({sizeBytes: 4})]),
    repo('web', [image({tag: 'keep'})]),
  ])

  it('carries every planned repository’s figures, the refused one without its policy change', () => {
    const want = desired({
      entries: [
        entry('app', [rule({tags: ['v*']})], {lifecycle: expireAllButOne}),
        entry('lib', [rule({tags: ['keep']})]),
        // Expires only untagged images: nothing web keeps.
        entry('web', [rule({tags: ['keep']})], {lifecycle: {rules: [{...expireAllButOne.rules[0]!, selection: {...expireAllButOne.rules[0]!.selection, tagStatus: 'untagged'}}]}}),
      ],
    })
    const error = refusal(() => createPlan(want, live, planOptions))
    expect(error.restOfPlan.refusedRepositories).toEqual(['app'])
    const rows = error.restOfPlan.summary.repositories.map((r) => [r.repository, r.imagesDeleted, r.imagesKept, r.bytesDeleted, r.lifecycleChange])
    expect(rows).toEqual([
      ['app', 1, 2, 5, undefined],
      ['lib', 2, 1, 7, undefined],
      ['web', 0, 1, 0, 'put'],
    ])
    expect(error.restOfPlan.summary).toMatchObject({imagesDeleted: 3, imagesKept: 4, bytesDeleted: 12, lifecyclePolicyChanges: 1})
    // Without the words, the refusal reads as before.
    expect(error.format()).not.toContain('Apart from')
  })

  it('words the rest: the totals, then one line per repository, the refused ones marked', () => {
    const want = desired({entries: [entry('app', [rule({tags: ['v*']})], {lifecycle: expireAllButOne}), entry('lib', [rule({tags: ['keep']})])]})
    const error = refusal(() => createPlan(want, snapshot(live.repositories.filter((r) => r.name !== 'web')), planOptions))
    expect(restOfPlanText(error.restOfPlan)).toBe(
      [
        'Apart from the refused lifecycle policy, the plan would: delete 3 images (sum of image sizes 12 B) in 2 repositories; keep 3.',
        '  app: delete 1, keep 2 (sum of image sizes 5 B); lifecycle policy refused',
        '  lib: delete 2, keep 1 (sum of image sizes 7 B)',
      ].join('\n'),
    )
    const shown = withRestOfPlan(error)
    expect(shown.format()).toContain('Apart from the refused lifecycle policy')
    expect(shown.format().indexOf('Apart from')).toBeLessThan(shown.format().indexOf('acceptLifecycleConflicts'))
    const plain = new EcrctlError('other')
    expect(withRestOfPlan(plain)).toBe(plain)
  })

  it('names a repository refused before its images could be summed (two entries declare its policy)', () => {
    const want = desired({
      entries: [entry('lib', [rule({tags: ['keep']})], {lifecycle: 'none'}), entry('l*', [], {lifecycle: 'none', keepOmitted: true}), entry('web', [rule({tags: ['keep']})])],
    })
    const error = refusal(() => createPlan(want, live, planOptions))
    expect(error.restOfPlan.refusedRepositories).toEqual(['lib'])
    expect(restOfPlanText(error.restOfPlan)).toContain('\n  lib: lifecycle policy refused\n  web: delete 0, keep 1')
  })
})
