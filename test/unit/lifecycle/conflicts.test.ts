import {describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'
import {findLifecycleConflicts, withProtectiveRules} from '../../../src/lifecycle/conflicts.js'
import {evaluateLifecyclePolicy} from '../../../src/lifecycle/evaluate.js'
import {validateLifecyclePolicy} from '../../../src/lifecycle/validate.js'
import {NOW, digestOf, image, keptBy, policy, rule} from './builders.js'

const keepTen = policy({
  rulePriority: 1,
  description: 'Keep only 10 most recent images',
  selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10},
  action: {type: 'expire'},
})

/** A production image pushed long ago plus `recent` newer dev builds. */
function repo(recent: number) {
  const prod = image('prod', ['real-colmap-fixed-final'], 200)
  const dev = Array.from({length: recent}, (_, i) => image(`dev-${i}`, [`2026${String(i).padStart(4, '0')}-dev`], 100 - i))
  return {prod, images: [prod, ...dev]}
}

describe('findLifecycleConflicts (emulator: moto never runs policies)', () => {
  it('catches the seed\'s keep-10 rule: it expires the kept production image once enough newer images are pushed', () => {
    const {prod, images} = repo(7)
    const report = findLifecycleConflicts(keepTen, images, [{image: prod, keptBecause: keptBy('production SfM image')}], NOW)
    expect(report.conflicts).toHaveLength(1)
    expect(report.conflicts[0]).toMatchObject({rulePriority: 1, imageDigest: prod.digest, when: {kind: 'afterPushes', pushes: 3}})
    expect(report.conflicts[0]!.whenText).toMatch(/once 3 newer images/)
  })

  it('reports a conflict happening now when the kept image is already past the count', () => {
    const {prod, images} = repo(12)
    const report = findLifecycleConflicts(keepTen, images, [{image: prod, keptBecause: keptBy('x')}], NOW)
    expect(report.conflicts[0]!.when).toEqual({kind: 'now'})
  })

  it('gives a protective rule fix that validates and, re-evaluated, leaves the kept image alone even after many pushes', () => {
    const {prod, images} = repo(12)
    const report = findLifecycleConflicts(keepTen, images, [{image: prod, keptBecause: keptBy('x'), keepTagGlobs: ['real-colmap-*']}], NOW)
    const fix = report.fix!
    expect(fix.verified).toBe(true)
    expect(fix.protectiveRules).toEqual([
      expect.objectContaining({rulePriority: 1, selection: expect.objectContaining({tagPatternList: ['real-colmap-*'], countType: 'imageCountMoreThan', countNumber: 9999})}),
    ])
    expect(fix.policy.rules.map((r) => r.rulePriority)).toEqual([1, 2])
    expect(validateLifecyclePolicy(fix.policy)).toEqual([])
    // The pasted YAML is the fixed policy.
    expect(parseYaml(fix.yaml).lifecycle).toEqual(fix.policy)
    // Independent check: 500 more pushes later the production image is still not acted on.
    const later = [...images, ...Array.from({length: 500}, (_, i) => image(`new-${i}`, [`n${i}`], 0.5 - i / 1000))]
    expect(evaluateLifecyclePolicy(fix.policy, later, NOW).decisions.get(prod.digest)).toBeNull()
    expect(findLifecycleConflicts(fix.policy, images, [{image: prod, keptBecause: keptBy('x')}], NOW).conflicts).toEqual([])
  })

  it('records accepted conflicts (tag glob or digest) instead of failing', () => {
    const {prod, images} = repo(12)
    const byGlob = findLifecycleConflicts(keepTen, images, [{image: prod, keptBecause: keptBy('x')}], NOW, ['real-*'])
    expect(byGlob.conflicts).toEqual([])
    expect(byGlob.accepted[0]).toMatchObject({imageDigest: prod.digest, acceptedBy: 'real-*'})
    expect(byGlob.fix).toBeUndefined()
    const byDigest = findLifecycleConflicts(keepTen, images, [{image: prod, keptBecause: keptBy('x')}], NOW, [prod.digest])
    expect(byDigest.accepted[0]!.acceptedBy).toBe(prod.digest)
  })

  it('reports since-rule conflicts with a date, and untagged kept images as unfixable by a tag rule', () => {
    const kept = image('untagged-kept', [], 5)
    const p = policy(rule(1, {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}))
    const report = findLifecycleConflicts(p, [kept], [{image: kept, keptBecause: keptBy('digest rule')}], NOW)
    expect(report.conflicts[0]!.when).toEqual({kind: 'at', at: expect.stringMatching(/^2026-03-10T12:00:00.001Z$/)})
    expect(report.fix!.unfixable.map((c) => c.imageDigest)).toEqual([digestOf('untagged-kept')])
  })

  it('follows a transition into the archive: an archive expire rule conflicts with a kept image', () => {
    const kept = image('kept', ['v1'], 100)
    const p = policy(
      rule(1, {tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30}, {type: 'transition', targetStorageClass: 'archive'}),
      rule(2, {tagStatus: 'untagged', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 180}),
      rule(3, {tagStatus: 'tagged', tagPatternList: ['v*'], storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365}),
    )
    const report = findLifecycleConflicts(p, [kept], [{image: kept, keptBecause: keptBy('x')}], NOW)
    expect(report.conflicts[0]).toMatchObject({rulePriority: 3, when: {kind: 'afterArchive', transitionRulePriority: 1, archiveMinimumDays: 365}})
    expect(report.fix!.verified).toBe(true)
  })

  it('renumbers the policy only when its priorities collide with the protective ones', () => {
    const base = policy(rule(5, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3}))
    const protective = [{selection: {tagStatus: 'tagged' as const, tagPatternList: ['a'], countType: 'imageCountMoreThan' as const, countNumber: 9999}, action: {type: 'expire' as const}}]
    expect(withProtectiveRules(base, protective).rules.map((r) => r.rulePriority)).toEqual([1, 5])
    const tight = policy(rule(1, {tagStatus: 'tagged', tagPatternList: ['x*'], countType: 'imageCountMoreThan', countNumber: 3}), rule(2, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3}))
    expect(withProtectiveRules(tight, [...protective, ...protective]).rules.map((r) => r.rulePriority)).toEqual([1, 2, 3, 4])
  })
})
