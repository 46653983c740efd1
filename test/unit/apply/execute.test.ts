import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {ApplyEvent} from '../../../src/model/apply-events.js'
import {executePlan} from '../../../src/apply/execute.js'
import {checkActions} from '../../../src/apply/preconditions.js'
import {RegistryCallError} from '../../../src/model/apply-port.js'
import type {LiveRepositoryState} from '../../../src/model/registry.js'
import {canonicalPolicyText} from '../../../src/lifecycle/canonical.js'
import type {PlanAction} from '../../../src/model/plan.js'
import {del, digest, MemoryRegistry, planOf, put} from './builders.js'

async function run(registry: MemoryRegistry, actions: PlanAction[], concurrency = 4) {
  const plan = planOf(actions)
  const live = new Map<string, LiveRepositoryState>()
  for (const name of new Set(actions.map((a) => a.repository))) if (registry.repos.has(name)) live.set(name, registry.liveState(name))
  const checks = checkActions(plan, live, canonicalPolicyText)
  const events: ApplyEvent[] = []
  const result = await executePlan(checks, live, registry, {concurrency, canonicalPolicy: canonicalPolicyText, onEvent: (e) => events.push(e)})
  return {result, events, checks}
}

describe('executePlan', () => {
  it('deletes in the minimum number of BatchDeleteImage calls per repository', async () => {
    const images: Array<[string, string[]]> = Array.from({length: 250}, (_, i) => [digest(i), []])
    const registry = MemoryRegistry.of({app: {images}, other: {images: [[digest(999), ['x']]]}})
    const {result} = await run(registry, images.map(([d]) => del('app', d)))
    expect(result.totals.imagesDeleted).toBe(250)
    expect(registry.calls.filter((c) => c.op === 'BatchDeleteImage').map((c) => c.digests.length)).toEqual([100, 100, 50])
    expect(registry.repos.get('other')!.images.size).toBe(1)
  })

  it('deletes an index before its children, so nothing fails with ImageReferencedByManifestList', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []], [digest(2), []], [digest(9), ['v1'], [digest(1), digest(2)]]]}})
    const {result} = await run(registry, [del('app', digest(1)), del('app', digest(2)), del('app', digest(9), ['v1'])])
    expect(result.totals).toMatchObject({imagesDeleted: 3, imagesFailed: 0})
    const deletes = registry.calls.filter((c) => c.op === 'BatchDeleteImage')
    expect(deletes[0]!.digests).toEqual([digest(9)])
    expect(registry.repos.get('app')!.images.size).toBe(0)
  })

  it('retries a child after its index when the order could not be known, and fails it when a kept index holds it', async () => {
    // A kept index (not in the plan) pushed after the checks: ECR refuses the child, apply reports it.
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []], [digest(2), []]]}})
    const plan = planOf([del('app', digest(1)), del('app', digest(2))])
    const live = new Map([['app', registry.liveState('app')]])
    const checks = checkActions(plan, live, canonicalPolicyText)
    registry.repos.get('app')!.images.set(digest(8), {tags: ['new'], children: [digest(1)]})
    const result = await executePlan(checks, live, registry, {concurrency: 1, canonicalPolicy: canonicalPolicyText})
    expect(result.totals).toMatchObject({imagesDeleted: 1, imagesFailed: 1})
    expect(result.outcomes[0]).toMatchObject({outcome: 'failed', code: 'referencedByIndex'})
    expect(registry.repos.get('app')!.images.has(digest(1))).toBe(true)
  })

  it('re-checks each batch right before deleting: a tag pushed after the checks skips that image', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), ['v1']], [digest(2), []]]}})
    const plan = planOf([del('app', digest(1), ['v1']), del('app', digest(2))])
    const live = new Map([['app', registry.liveState('app')]])
    const checks = checkActions(plan, live, canonicalPolicyText)
    registry.repos.get('app')!.images.get(digest(1))!.tags.push('hotfix')
    const result = await executePlan(checks, live, registry, {concurrency: 1, canonicalPolicy: canonicalPolicyText})
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['skippedStale', 'deleted'])
    expect(registry.repos.get('app')!.images.has(digest(1))).toBe(true)
  })

  it('is idempotent: a second run finds everything done and makes no delete call', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), ['a']], [digest(2), []]]}})
    const actions = [del('app', digest(1), ['a']), del('app', digest(2))]
    await run(registry, actions)
    registry.calls.length = 0
    const {result} = await run(registry, actions)
    expect(result.totals).toMatchObject({imagesDeleted: 0, imagesAlreadyGone: 2, imagesFailed: 0})
    expect(registry.calls.filter((c) => c.op === 'BatchDeleteImage')).toEqual([])
  })

  it('counts an image BatchDeleteImage finds gone as done (deleted by someone else in the window)', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []]]}})
    registry.beforeDelete = () => registry.repos.get('app')!.images.delete(digest(1))
    const {result} = await run(registry, [del('app', digest(1))])
    expect(result.outcomes[0]).toMatchObject({outcome: 'alreadyGone', code: 'imageGone', message: 'ImageNotFound: not found'})
  })

  it('records an image whose delete answer was lost, then found gone on retry, as deleted, confirmed on retry', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []], [digest(2), ['v2']]]}})
    registry.loseDeleteAnswers = 1
    const {result, events} = await run(registry, [del('app', digest(1)), del('app', digest(2), ['v2'])])
    expect(result.outcomes.map((o) => [o.outcome, o.confirmedOnRetry])).toEqual([
      ['deleted', true],
      ['deleted', true],
    ])
    expect(result.outcomes[0]!.message).toMatch(/^deleted, confirmed on retry: the answer to attempt 1 of 2 was lost/)
    expect(result.totals).toMatchObject({imagesDeleted: 2, imagesConfirmedOnRetry: 2, imagesAlreadyGone: 0, imageSizeBytesDeleted: 2000})
    expect(events.filter((e) => e.type === 'image').every((e) => e.type === 'image' && e.confirmedOnRetry)).toBe(true)
  })

  it('reports a failed call per image and carries on with other repositories', async () => {
    const registry = MemoryRegistry.of({bad: {images: [[digest(1), []]]}, good: {images: [[digest(2), []]]}})
    registry.beforeDelete = (repo) => {
      if (repo === 'bad') throw new RegistryCallError('accessDenied', 'BatchDeleteImage failed: AccessDeniedException: denied')
    }
    const {result} = await run(registry, [del('bad', digest(1)), del('good', digest(2))])
    expect(result.outcomes.map((o) => [o.outcome, o.code])).toEqual([
      ['failed', 'accessDenied'],
      ['deleted', undefined],
    ])
  })

  it('puts a lifecycle policy only while the live one still equals before', async () => {
    const before = canonicalPolicyText('{"rules":[]}')
    const after = canonicalPolicyText('{"rules":[{"rulePriority":1}]}')!
    const registry = MemoryRegistry.of({a: {images: [], policy: '{"rules":[]}'}, b: {images: [], policy: after}})
    const {result} = await run(registry, [put('a', before, after), put('b', before, after)])
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['applied', 'alreadyDone'])
    expect(registry.repos.get('a')!.policy).toBe(after)
    expect(registry.calls.filter((c) => c.op === 'PutLifecyclePolicy')).toHaveLength(1)
  })

  it('re-checks each batch for new referrers: a signature pushed after the checks keeps its subject', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), ['v1']], [digest(2), []], [digest(3), []]]}})
    const plan = planOf([del('app', digest(1), ['v1']), del('app', digest(2)), del('app', digest(3))])
    const live = new Map([['app', registry.liveState('app')]])
    const checks = checkActions(plan, live, canonicalPolicyText)
    // An OCI referrer (ECR reports its subjectManifestDigest) and a cosign signature, both new.
    registry.repos.get('app')!.images.set(digest(8), {tags: [], children: [], subject: digest(1)})
    registry.repos.get('app')!.images.set(digest(9), {tags: [`sha256-${'0'.repeat(63)}2.sig`], children: []})
    const result = await executePlan(checks, live, registry, {concurrency: 1, canonicalPolicy: canonicalPolicyText})
    expect(result.outcomes.map((o) => [o.outcome, o.code])).toEqual([
      ['skippedStale', 'ReferrerAdded'],
      ['skippedStale', 'ReferrerAdded'],
      ['deleted', undefined],
    ])
    expect(result.outcomes[0]!.message).toContain('subjectManifestDigest')
    expect(result.outcomes[1]!.message).toContain(`tag sha256-${'0'.repeat(63)}2.sig`)
    expect([...registry.repos.get('app')!.images.keys()].sort()).toEqual([digest(1), digest(2), digest(8), digest(9)])
  })

  it('property: only planned digests are ever deleted, none whose tags changed, none signed after the checks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({tags: fc.subarray(['a', 'b', 'c']), planned: fc.boolean(), retagged: fc.boolean(), signedLate: fc.boolean(), parent: fc.option(fc.nat(29))}),
          {minLength: 1, maxLength: 30},
        ),
        async (spec) => {
          const images: Array<[string, string[], string[]]> = spec.map((s, i) => [digest(i), [...s.tags], []])
          // Some images are indexes of others (only earlier-pushed ones, so no cycles).
          spec.forEach((s, i) => {
            if (s.parent !== null && s.parent < i) images[i]![2].push(digest(s.parent))
          })
          const registry = MemoryRegistry.of({r: {images}})
          const actions = spec.flatMap((s, i) => (s.planned ? [del('r', digest(i), [...s.tags], {references: images[i]![2]})] : []))
          const plan = planOf(actions)
          const live = new Map([['r', registry.liveState('r')]])
          const checks = checkActions(plan, live, canonicalPolicyText)
          spec.forEach((s, i) => {
            if (s.retagged) registry.repos.get('r')!.images.get(digest(i))!.tags.push('late')
            if (s.signedLate) registry.repos.get('r')!.images.set(digest(`${i}5160`), {tags: [], children: [], subject: digest(i)})
          })
          await executePlan(checks, live, registry, {concurrency: 2, canonicalPolicy: canonicalPolicyText})
          spec.forEach((s, i) => {
            const gone = !registry.repos.get('r')!.images.has(digest(i))
            if (gone) {
              expect(s.planned).toBe(true)
              expect(s.retagged).toBe(false)
              expect(s.signedLate).toBe(false)
            }
          })
        },
      ),
      {numRuns: 200},
    )
  })
})
