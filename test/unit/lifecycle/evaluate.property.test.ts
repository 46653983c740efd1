import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {evaluateLifecyclePolicy, matchesTagSelection} from '../../../src/lifecycle/evaluate.js'
import type {LifecycleRule} from '../../../src/model/desired.js'
import type {LiveImage} from '../../../src/model/snapshot.js'
import {NOW} from './builders.js'

const TAGS = ['prod-1', 'prod-2', 'beta-1', 'beta-2', 'latest', 'v1', 'v2']
const hex = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`

const imagesArb = fc.array(fc.record({tags: fc.uniqueArray(fc.constantFrom(...TAGS), {maxLength: 2}), ageHours: fc.integer({min: 0, max: 24 * 60})}), {maxLength: 25}).map((specs) => {
  const used = new Set<string>()
  return specs.map(({tags, ageHours}, i): LiveImage => {
    const own = tags.filter((tag) => !used.has(tag)) // a tag names one image
    for (const tag of own) used.add(tag)
    return {digest: hex(i + 1), tags: own.sort(), pushedAt: new Date(NOW.getTime() - ageHours * 3_600_000).toISOString(), sizeBytes: 1}
  })
})

const selectionArb: fc.Arbitrary<LifecycleRule['selection']> = fc.oneof(
  fc.record({tagStatus: fc.constant('tagged' as const), tagPatternList: fc.constantFrom('prod*', 'beta*', 'v*', '*1').map((pattern) => [pattern])}).chain((s) =>
    fc.oneof(
      fc.integer({min: 1, max: 5}).map((n) => ({...s, countType: 'imageCountMoreThan' as const, countNumber: n})),
      fc.integer({min: 1, max: 30}).map((n) => ({...s, countType: 'sinceImagePushed' as const, countUnit: 'days' as const, countNumber: n})),
    ),
  ),
  fc.integer({min: 1, max: 5}).map((n) => ({tagStatus: 'untagged' as const, countType: 'imageCountMoreThan' as const, countNumber: n})),
  fc.integer({min: 1, max: 5}).map((n) => ({tagStatus: 'any' as const, countType: 'imageCountMoreThan' as const, countNumber: n})),
)
const rulesArb = fc.array(selectionArb, {minLength: 1, maxLength: 4}).map((selections) =>
  selections.map((selection, i): LifecycleRule => ({rulePriority: (i + 1) * 10, selection, action: {type: 'expire'}})),
)

describe('evaluator properties (emulator: moto never runs policies)', () => {
  it('never expires an image that matches the tag selection of a higher-priority protecting rule', () => {
    fc.assert(
      fc.property(imagesArb, rulesArb, fc.constantFrom('prod*', 'v*', 'latest'), (images, rules, protectedPattern) => {
        const protect: LifecycleRule = {rulePriority: 1, selection: {tagStatus: 'tagged', tagPatternList: [protectedPattern], countType: 'imageCountMoreThan', countNumber: 9999}, action: {type: 'expire'}}
        const {decisions} = evaluateLifecyclePolicy({rules: [protect, ...rules]}, images, NOW)
        for (const image of images) {
          if (matchesTagSelection(protect, image.tags)) expect(decisions.get(image.digest)).toBeNull()
        }
      }),
      {numRuns: 300},
    )
  })

  it('acts on each image by at most the first rule that selects it, and only on images that rule selects', () => {
    fc.assert(
      fc.property(imagesArb, rulesArb, (images, rules) => {
        const {decisions} = evaluateLifecyclePolicy({rules}, images, NOW)
        for (const image of images) {
          const decision = decisions.get(image.digest)
          if (!decision) continue
          const first = rules.find((rule) => matchesTagSelection(rule, image.tags))
          expect(decision.rulePriority).toBe(first?.rulePriority)
        }
      }),
      {numRuns: 300},
    )
  })

  it('never acts on a child of an index present in the repository', () => {
    fc.assert(
      fc.property(imagesArb, rulesArb, fc.integer({min: 0, max: 24}), (images, rules, seed) => {
        if (images.length < 2) return
        const index = images[seed % images.length]!
        const children = images.filter((image) => image !== index).slice(0, 3).map((image) => image.digest)
        const withIndex = images.map((image) => (image === index ? {...image, manifest: {mediaType: 'application/vnd.oci.image.index.v1+json', children}} : image))
        const {decisions} = evaluateLifecyclePolicy({rules}, withIndex, NOW)
        for (const child of children) expect(decisions.get(child)).toBeNull()
      }),
      {numRuns: 300},
    )
  })

  it('with only count rules, an image is acted on only if at least countNumber newer images are selected by its rule', () => {
    fc.assert(
      fc.property(imagesArb, rulesArb, (images, rules) => {
        const {decisions} = evaluateLifecyclePolicy({rules}, images, NOW)
        for (const image of images) {
          const decision = decisions.get(image.digest)
          if (!decision) continue
          const rule = rules.find((candidate) => candidate.rulePriority === decision.rulePriority)!
          if (rule.selection.countType !== 'imageCountMoreThan') continue
          const newer = images.filter((other) => other !== image && matchesTagSelection(rule, other.tags) && Date.parse(other.pushedAt) >= Date.parse(image.pushedAt))
          expect(newer.length).toBeGreaterThanOrEqual(rule.selection.countNumber)
        }
      }),
      {numRuns: 300},
    )
  })
})
