import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {isValidDeleteImageAction, isValidKeptImage, isValidPlanStructure} from '../../../src/planfile/plan-check.js'
import {deleteImageActionSchema, keptImageSchema, planActionSchema, planDocumentSchema} from '../../../src/planfile/schema.js'

const digest = (c: string) => `sha256:${c.repeat(64)}`

/**
 * Images and actions that are mostly valid, each field sometimes wrong (type, format, range) and
 * optional fields sometimes absent, so that both answers come up often (checked: the test has teeth).
 */
const oneOf = <T>(...values: T[]) => fc.constantFrom(...values)
const wrong = oneOf<unknown>(null, 1, -1, 1.5, 2 ** 60, '', 'x', 'sha256:abc', [], {}, true, '2025-02-30T00:00:00Z', [''], ['ok', 3], 'DELETED', 'keepRule')
const usually = (valid: fc.Arbitrary<unknown>) => fc.oneof({weight: 40, arbitrary: valid}, {weight: 1, arbitrary: wrong})
const rarely = (value: unknown) => fc.oneof({weight: 15, arbitrary: fc.constant(undefined)}, {weight: 1, arbitrary: fc.constant(value)})
const optional = (valid: fc.Arbitrary<unknown>) => fc.option(usually(valid), {nil: undefined, freq: 2})
const time = fc.oneof(
  {weight: 6, arbitrary: oneOf('2025-01-01T00:00:00.000Z', '2024-02-29T23:59:59Z', '2025-01-01T00:00:00+02:00')},
  {weight: 1, arbitrary: oneOf('2025-01-01T24:00:00Z', '2025-01-01', '2023-02-29T00:00:00Z', 'Wed, 01 Jan 2025 00:00:00 GMT')},
)
/** Every reason code, each with its own fields; fields sometimes wrong, missing or borrowed from another code. */
const related = usually(oneOf(digest('c'), 'sha512:' + 'd'.repeat(128), 'md5:abc'))
const referrer = {kind: usually(oneOf('signature', 'SBOM', 'referrer')), relatedDigest: related, via: usually(oneOf('cosign tag', 'manifest subject'))}
const reason = fc.oneof(
  fc.record({code: usually(oneOf('noKeepRule')), other: rarely(1)}),
  fc.record({code: usually(oneOf('gracePeriod')), gracePeriodMs: usually(oneOf(0, 86_400_000)), other: rarely(1)}),
  fc.record({
    code: usually(oneOf('keepRule', 'gracePeriod')),
    entry: usually(oneOf('app', 'team/*')),
    index: usually(oneOf(0, 3)),
    matching: optional(oneOf(0, 7)),
    newest: optional(oneOf(1, 3)),
    rank: optional(oneOf(1, 2)),
    reason: optional(oneOf('releases', '')),
    rule: usually(oneOf('app keep[0]')),
    relatedDigest: rarely(digest('c')),
  }),
  fc.record({code: usually(oneOf('indexChild', 'childOfDeletedIndex', 'noKeepRule')), relatedDigest: related, other: rarely(1)}),
  fc.record({code: usually(oneOf('referrerOfKept', 'subjectOfKept')), ...referrer}),
  fc.record({code: usually(oneOf('orphanReferrer')), ...referrer, subjectInRepository: usually(oneOf(true, false))}),
  fc.record({code: usually(oneOf('manifestUnreadable')), problem: usually(oneOf('not JSON')), relatedDigest: related, unreadableCount: usually(oneOf(1, 4))}),
  fc.record({
    code: usually(oneOf('inUse')),
    references: usually(fc.array(fc.record({source: usually(oneOf('ecs', 'kubernetes')), resource: usually(oneOf('pod/a')), field: usually(oneOf('image')), text: usually(oneOf('app:v1'))}), {maxLength: 2})),
  }),
)
const facts = {
  repository: usually(oneOf('app', 'team/app')),
  imageDigest: usually(oneOf(digest('e'), digest('f'), 'sha256:' + 'a'.repeat(31), 'sha256+b64:' + 'f'.repeat(40))),
  imageTags: usually(fc.array(usually(oneOf('latest', 'v1')), {maxLength: 3})),
  imagePushedAt: usually(time),
  sizeBytes: usually(oneOf(0, 42, 5e8, 2 ** 53)),
  status: optional(oneOf('ACTIVE', 'ARCHIVED', 'ACTIVATING')),
  reasons: usually(fc.array(usually(reason), {maxLength: 2})),
}
const deletion = fc.record({
  type: usually(oneOf('deleteImage', 'putLifecyclePolicy')),
  ...facts,
  lastPulledAt: usually(fc.oneof(fc.constant(null), time)),
  references: optional(fc.array(usually(oneOf(digest('1'), digest('2'))), {maxLength: 2})),
  notes: optional(fc.array(usually(oneOf('billed until', '')), {maxLength: 2})),
  unexpected: rarely(1),
})
const kept = fc.record({...facts, type: rarely('deleteImage'), unexpected: rarely(1)})
/** JSON has no undefined: drop the absent fields as the file would. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

function holdsTo(name: string, arbitrary: fc.Arbitrary<unknown>, fast: (value: unknown) => boolean, schema: {safeParse(value: unknown): {success: boolean}}) {
  describe(name, () => {
    it('says valid only for what the strict schema accepts, and for everything it accepts', () => {
      let accepted = 0
      let refused = 0
      fc.assert(
        fc.property(arbitrary, (candidate) => {
          const json = asJson(candidate)
          const strict = schema.safeParse(json).success
          if (strict) accepted += 1
          else refused += 1
          expect(fast(json)).toBe(strict)
        }),
        {numRuns: 4000},
      )
      expect(Math.min(accepted, refused)).toBeGreaterThan(200)
    })
  })
}

holdsTo('isValidDeleteImageAction (the fast path of reading a plan)', deletion, isValidDeleteImageAction, deleteImageActionSchema)
holdsTo('isValidKeptImage', kept, isValidKeptImage, keptImageSchema)

describe('isValidPlanStructure', () => {
  const cases = fileURLToPath(new URL('../../golden/cases/', import.meta.url))
  const goldenPlans = readdirSync(cases).map((name) => [name, JSON.parse(readFileSync(join(cases, name, 'expected', 'plan.json'), 'utf8'))] as const)

  it('takes the fast path for every golden plan (what the planner writes)', () => {
    expect(goldenPlans.length).toBeGreaterThan(5)
    for (const [name, plan] of goldenPlans) expect(isValidPlanStructure(plan), name).toBe(true)
  })

  it('answers as the strict schema does when one action or kept image of a real plan is broken', () => {
    const withLifecycle = goldenPlans.filter(([, plan]) => plan.actions.length > 0 && plan.kept.length > 0)
    fc.assert(
      fc.property(fc.constantFrom(...withLifecycle), deletion, kept, fc.boolean(), ([, plan], action, image, inActions) => {
        const edited = structuredClone(plan)
        if (inActions) edited.actions[0] = asJson(action)
        else edited.kept[0] = asJson(image)
        expect(isValidPlanStructure(edited)).toBe(planDocumentSchema.safeParse(edited).success)
      }),
      {numRuns: 500},
    )
  })

  it('leaves lifecycle actions to the schema', () => {
    const put = {type: 'putLifecyclePolicy', repository: 'app', before: null, after: '{}', declaredBy: {entry: 'app', file: 'a.yaml', line: 1}}
    expect(planActionSchema.safeParse(put).success).toBe(true)
    expect(isValidDeleteImageAction(put)).toBe(false)
  })
})
