import {describe, expect, it} from 'vitest'
import {validateLifecyclePolicy} from '../../../src/lifecycle/validate.js'
import type {LifecycleRule} from '../../../src/model/desired.js'
import {policy, rule} from './builders.js'

const messages = (...rules: LifecycleRule[]) => validateLifecyclePolicy(policy(...rules)).map((v) => v.message)
const count = (n = 10): LifecycleRule['selection'] => ({tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: n})

describe('validateLifecyclePolicy', () => {
  it('accepts the documented shapes, including the archive vocabulary', () => {
    expect(
      messages(
        rule(1, {tagStatus: 'tagged', tagPatternList: ['*test*1*2*3', 'test*1*2*3*'], countType: 'imageCountMoreThan', countNumber: 9999}),
        rule(2, {tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30}, {type: 'transition', targetStorageClass: 'archive'}),
        rule(3, {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}),
        rule(4, {tagStatus: 'untagged', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365}),
        rule(5, count()),
      ),
    ).toEqual([])
  })

  it('tagged needs a tag list; untagged and any must omit it; never both lists', () => {
    expect(messages(rule(1, {tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1}))[0]).toMatch(/needs a tagPatternList or a tagPrefixList/)
    expect(messages(rule(1, {tagStatus: 'untagged', tagPrefixList: ['x'], countType: 'imageCountMoreThan', countNumber: 1}))[0]).toMatch(/must omit tagPrefixList/)
    expect(messages(rule(1, {tagStatus: 'tagged', tagPrefixList: ['x'], tagPatternList: ['x*'], countType: 'imageCountMoreThan', countNumber: 1}))[0]).toMatch(/never both/)
  })

  it('refuses more than four wildcards in a pattern, with its path and the rule priority', () => {
    const [violation] = validateLifecyclePolicy(policy(rule(7, {tagStatus: 'tagged', tagPatternList: ['ok*', 'test*1*2*3*4*5*6'], countType: 'imageCountMoreThan', countNumber: 1})))
    expect(violation).toMatchObject({path: ['rules', 0, 'selection', 'tagPatternList', 1], rulePriority: 7})
    expect(violation!.message).toMatch(/more than 4/)
  })

  it('pairs countUnit days with the since count types only', () => {
    expect(messages(rule(1, {tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14}))[0]).toMatch(/requires countUnit: days/)
    expect(messages(rule(1, {tagStatus: 'untagged', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 14}))[0]).toMatch(/countUnit is only allowed/)
  })

  it('refuses countNumber 0 and fractions', () => {
    expect(messages(rule(1, count(0)))[0]).toMatch(/positive integer/)
    expect(messages(rule(1, count(1.5)))[0]).toMatch(/positive integer/)
  })

  it('checks storageClass and action pairings', () => {
    expect(messages(rule(1, {tagStatus: 'any', storageClass: 'archive', countType: 'imageCountMoreThan', countNumber: 1}))[0]).toMatch(/archive is only allowed with countType sinceImageTransitioned/)
    expect(messages(rule(1, {tagStatus: 'any', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90}))[0]).toMatch(/requires storageClass: archive/)
    expect(messages(rule(1, count(), {type: 'transition'}))[0]).toMatch(/requires targetStorageClass: archive/)
    expect(messages(rule(1, count(), {type: 'expire', targetStorageClass: 'archive'}))[0]).toMatch(/only allowed with action type transition/)
    expect(messages(rule(1, {tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30}))[0]).toMatch(/documented only for archiving/)
  })

  it('requires unique priorities and the any rule last', () => {
    expect(messages(rule(1, {tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1}), rule(1, {tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 1})).join()).toMatch(/used by more than one rule/)
    const [violation] = validateLifecyclePolicy(policy(rule(1, count()), rule(2, {tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1})))
    expect(violation).toMatchObject({rulePriority: 1, path: ['rules', 0, 'rulePriority']})
    expect(violation!.message).toMatch(/must have the highest rulePriority/)
  })

  it('allows one untagged rule per storage class and unique tag selections', () => {
    expect(messages(rule(1, {tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1}), rule(2, {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3})).join()).toMatch(/only one rule per storage class may select untagged/)
    expect(messages(rule(1, {tagStatus: 'tagged', tagPatternList: ['a*'], countType: 'imageCountMoreThan', countNumber: 1}), rule(2, {tagStatus: 'tagged', tagPatternList: ['a*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3})).join()).toMatch(/same tag patternes|unique tag selection/)
  })

  it('limits the policy to 50 rules and 30,720 characters', () => {
    const many = Array.from({length: 51}, (_, i) => rule(i + 1, {tagStatus: 'tagged', tagPatternList: [`t${i}*`], countType: 'imageCountMoreThan', countNumber: 1}))
    expect(messages(...many).join()).toMatch(/at most 50 rules/)
    const long = Array.from({length: 50}, (_, i) => ({...rule(i + 1, {tagStatus: 'tagged', tagPatternList: [`t${i}*`], countType: 'imageCountMoreThan', countNumber: 1}), description: 'x'.repeat(600)}))
    expect(messages(...long).join()).toMatch(/at most 30720/)
  })
})
