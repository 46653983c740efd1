/**
 * Golden cases: every documented example of the ECR user guide's "Examples of lifecycle policies"
 * page (lifecycle_policy_examples.html). Repository contents and expected results are transcribed
 * from the guide's text ("Result: Image A is expired"), not produced by the evaluator.
 * (emulator: moto never runs policies and has no preview API, so these are pure unit tests)
 */
import {describe, expect, it} from 'vitest'
import {actedOn, image, policy, rule} from './builders.js'

describe('ECR guide examples (emulator: moto never runs policies)', () => {
  it('filtering on image age: tagged prod* older than 14 days are expired', () => {
    // The guide gives only the policy; the repository is ours, the expectation is the guide's sentence.
    const images = [
      image('prod-old', ['prod-1'], 20),
      image('prod-new', ['prod-2'], 10),
      image('production-old', ['production-team1'], 15),
      image('dev-old', ['dev-1'], 30),
      image('untagged-old', [], 30),
    ]
    const p = policy(rule(1, {tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}))
    expect(actedOn(p, images)).toEqual(['prod-old', 'production-old'])
  })

  it('filtering on image age (earlier edition): untagged images older than 14 days are expired', () => {
    const images = [image('u-old', [], 15), image('u-new', [], 13), image('t-old', ['v1'], 40)]
    const p = policy(rule(1, {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}))
    expect(actedOn(p, images)).toEqual(['u-old'])
  })

  it('filtering on image count: keeps only one untagged image and expires all others', () => {
    const images = [image('u1', [], 3), image('u2', [], 2), image('u3', [], 1), image('t1', ['v1'], 9)]
    const p = policy(rule(1, {tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1}))
    expect(actedOn(p, images)).toEqual(['u1', 'u2'])
  })

  const multipleRulesRepo = () => [
    image('A', ['beta-1', 'prod-1'], 10),
    image('B', ['beta-2', 'prod-2'], 9),
    image('C', ['beta-3'], 8),
  ]
  for (const form of ['tagPrefixList', 'tagPatternList'] as const) {
    const tags = (prefix: string) => (form === 'tagPrefixList' ? {tagPrefixList: [prefix]} : {tagPatternList: [`${prefix}*`]})

    it(`filtering on multiple rules, example A (${form}): only image A is expired`, () => {
      const p = policy(
        rule(1, {tagStatus: 'tagged', ...tags('prod'), countType: 'imageCountMoreThan', countNumber: 1}),
        rule(2, {tagStatus: 'tagged', ...tags('beta'), countType: 'imageCountMoreThan', countNumber: 1}),
      )
      expect(actedOn(p, multipleRulesRepo())).toEqual(['A'])
    })

    it(`filtering on multiple rules, example B (${form}): images A and B are expired`, () => {
      const p = policy(
        rule(1, {tagStatus: 'tagged', ...tags('beta'), countType: 'imageCountMoreThan', countNumber: 1}),
        rule(2, {tagStatus: 'tagged', ...tags('prod'), countType: 'imageCountMoreThan', countNumber: 1}),
      )
      expect(actedOn(p, multipleRulesRepo())).toEqual(['A', 'B'])
    })

    const twoTags = form === 'tagPrefixList' ? {tagPrefixList: ['alpha', 'beta']} : {tagPatternList: ['alpha*', 'beta*']}

    it(`filtering on multiple tags in a single rule, example A (${form}): image C is expired`, () => {
      const images = [
        image('A', ['alpha-1'], 12),
        image('B', ['beta-1'], 11),
        image('C', ['alpha-2', 'beta-2'], 10),
        image('D', ['alpha-3'], 4),
        image('E', ['beta-3'], 3),
        image('F', ['alpha-4', 'beta-4'], 2),
      ]
      const p = policy(rule(1, {tagStatus: 'tagged', ...twoTags, countType: 'sinceImagePushed', countNumber: 5, countUnit: 'days'}))
      expect(actedOn(p, images)).toEqual(['C'])
    })

    it(`filtering on multiple tags in a single rule, example B (${form}): images A and B are expired`, () => {
      const images = [
        image('A', ['alpha-1', 'beta-1', 'gamma-1'], 10),
        image('B', ['alpha-2', 'beta-2'], 9),
        image('C', ['alpha-3', 'beta-3', 'gamma-2'], 8),
      ]
      const p = policy(rule(1, {tagStatus: 'tagged', ...twoTags, countType: 'imageCountMoreThan', countNumber: 1}))
      expect(actedOn(p, images)).toEqual(['A', 'B'])
    })
  }

  it('filtering on all images, example A: images A, B and C are expired', () => {
    const images = [image('A', ['alpha-1'], 4), image('B', ['beta-1'], 3), image('C', [], 2), image('D', ['alpha-2'], 1)]
    const p = policy(rule(1, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1}))
    expect(actedOn(p, images)).toEqual(['A', 'B', 'C'])
  })

  it('filtering on all images, example B: images A, B and D are expired (images claimed by earlier rules keep their count slots)', () => {
    // The guide lists D and E both as "1 day ago" and keeps E under Rule 3 ("keep the newest"), so
    // E is the newer of the two; we push E one minute after D. E, pushed exactly one day ago, is
    // not "older than one day" for Rule 2.
    const images = [
      image('A', ['alpha-1', 'beta-1'], 4),
      image('B', [], 3),
      image('C', ['alpha-2'], 2),
      image('D', ['git hash'], 1, {pushedAt: new Date(Date.parse('2026-02-28T12:00:00.000Z') - 60_000).toISOString()}),
      image('E', [], 1),
    ]
    const p = policy(
      rule(1, {tagStatus: 'tagged', tagPrefixList: ['alpha'], countType: 'imageCountMoreThan', countNumber: 1}),
      rule(2, {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1}),
      rule(3, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1}),
    )
    expect(actedOn(p, images)).toEqual(['A', 'B', 'D'])
  })
})
