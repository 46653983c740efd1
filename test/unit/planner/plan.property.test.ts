/**
 * Property-style safety tests: random registries × random desired states, checked against a naive
 * re-implementation of the keep semantics written independently of src/planner.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {DesiredState, KeepRule, RepositoryEntry} from '../../../src/model/desired.js'
import type {DeleteImageAction} from '../../../src/model/plan.js'
import type {LiveImage, LiveRepository, LiveSnapshot} from '../../../src/model/snapshot.js'
import {createPlan} from '../../../src/planner/plan.js'
import {DAY_MS, HOUR_MS, NOW, OCI_INDEX, desired, digest, entry, planOptions, rule, snapshot} from '../../support/builders.js'

const REPOSITORY_NAMES = ['app', 'app/api', 'app/web', 'legacy', 'tools']
const TAGS = ['latest', 'v1', 'v2', 'v10', 'dev-a', 'dev-b', '20240101-000000', '20250115-1200', 'prod']
const TAG_GLOBS = ['*', 'v*', 'latest', 'dev-*', '20*-*', 'prod', 'nomatch', '*1*']
const REPOSITORY_GLOBS = ['app', 'app/*', 'app*', '*', 'legacy', 'tools', 'missing']
const NOW_MS = NOW.getTime()

// ---------- generators ----------

interface ImageSeed {
  tags: string[]
  pushedHoursAgo: number
  pulledHoursAgo: number | null
  childCandidates: number[] // indexes into the repository's earlier images; empty = not an index
  manifestBroken: boolean
  unreadIndex: boolean
}

const imageShape: fc.Arbitrary<Omit<ImageSeed, 'manifestBroken' | 'unreadIndex'>> = fc.record({
  tags: fc.uniqueArray(fc.constantFrom(...TAGS), {maxLength: 2}),
  // includes pushes after NOW (clock skew) and pushes inside typical grace periods
  pushedHoursAgo: fc.oneof(fc.integer({min: -48, max: 72}), fc.integer({min: 0, max: 400 * 24})),
  pulledHoursAgo: fc.option(fc.integer({min: 0, max: 200 * 24})),
  childCandidates: fc.oneof(
    {weight: 4, arbitrary: fc.constant([] as number[])},
    {weight: 1, arbitrary: fc.uniqueArray(fc.nat({max: 11}), {minLength: 1, maxLength: 3})},
  ),
})

// about one image in 40 has a broken manifest and one in 40 (if an index) an unread one: rare
// enough that most repositories still exercise deletion, common enough to hit fail-closed often
const weightedImageSeed: fc.Arbitrary<ImageSeed> = fc
  .tuple(imageShape, fc.integer({min: 0, max: 39}))
  .map(([seed, roll]) => ({...seed, manifestBroken: roll === 0, unreadIndex: roll === 1}))

const repositorySeed = fc.record({
  name: fc.constantFrom(...REPOSITORY_NAMES),
  images: fc.array(weightedImageSeed, {maxLength: 12}),
})

function buildRepository(name: string, seeds: ImageSeed[], repoIndex: number): LiveRepository {
  const digests = seeds.map((_, i) => digest(`${repoIndex}-${name}-${i}`))
  const images: LiveImage[] = seeds.map((seed, i) => {
    const image: LiveImage = {
      digest: digests[i] as string,
      tags: [...seed.tags].sort(),
      pushedAt: new Date(NOW_MS - seed.pushedHoursAgo * HOUR_MS).toISOString(),
      sizeBytes: 1000 + i,
    }
    if (seed.pulledHoursAgo !== null) image.lastPulledAt = new Date(NOW_MS - seed.pulledHoursAgo * HOUR_MS).toISOString()
    // children: other images of this repository (any, including other indexes: nesting and cycles
    // are allowed so the closure is exercised on awkward shapes); sometimes a missing digest
    const children = seed.childCandidates.map((c) => (c < seeds.length && c !== i ? (digests[c] as string) : digest(`missing-${c}`)))
    if (children.length > 0) {
      image.manifestMediaType = OCI_INDEX
      if (!seed.unreadIndex) image.manifest = {mediaType: OCI_INDEX, children}
    }
    if (seed.manifestBroken) image.manifestError = 'unparseable manifest'
    return image
  })
  return {name, lifecyclePolicy: null, imagesRead: true, images: images.sort((a, b) => (a.digest < b.digest ? -1 : 1))}
}

const registry: fc.Arbitrary<LiveSnapshot> = fc
  .uniqueArray(repositorySeed, {selector: (r) => r.name, maxLength: 5})
  .map((repos) => snapshot(repos.map((r, i) => buildRepository(r.name, r.images, i))))

const keepRuleSpec = fc
  .record(
    {
      tags: fc.uniqueArray(fc.constantFrom(...TAG_GLOBS), {minLength: 1, maxLength: 2}),
      pushedWithinMs: fc.integer({min: 1, max: 200}).map((d) => d * DAY_MS),
      pulledWithinMs: fc.integer({min: 1, max: 120}).map((d) => d * DAY_MS),
      newest: fc.integer({min: 0, max: 4}),
    },
    {requiredKeys: []},
  )
  .map((spec) => rule(spec))

const desiredState: fc.Arbitrary<DesiredState> = fc
  .record({
    entries: fc.array(
      fc.record({
        pattern: fc.constantFrom(...REPOSITORY_GLOBS),
        keep: fc.array(keepRuleSpec, {maxLength: 3}),
        graceHours: fc.option(fc.constantFrom(0, 1, 24, 72)),
        lifecycleOnly: fc.integer({min: 0, max: 5}).map((roll) => roll === 0),
      }),
      {maxLength: 4},
    ),
    defaultGraceHours: fc.constantFrom(0, 24, 48),
  })
  .map(({entries, defaultGraceHours}) =>
    desired({
      gracePeriodMs: defaultGraceHours * HOUR_MS,
      // Only one entry may declare `lifecycle` for a repository (issue 4), so at most one entry is lifecycle-only.
      entries: entries.map(({pattern, keep, graceHours, lifecycleOnly: rolled}, index) => ({pattern, keep, graceHours, lifecycleOnly: rolled && index === entries.findIndex((e) => e.lifecycleOnly)})).map(({pattern, keep, graceHours, lifecycleOnly}) =>
        entry(pattern, lifecycleOnly ? [] : keep, {
          ...(graceHours === null ? {} : {gracePeriodMs: graceHours * HOUR_MS}),
          ...(lifecycleOnly ? {keepOmitted: true, lifecycle: 'none' as const} : {}),
        }),
      ),
    }),
  )

/**
 * The planner refuses exact entry names the registry lacks (a typo guard, tested in plan.test.ts),
 * so the properties below run on desired states whose exact names all exist.
 */
const registryAndDesired: fc.Arbitrary<[LiveSnapshot, DesiredState]> = fc.tuple(registry, desiredState).map(([live, state]) => {
  const names = new Set(live.repositories.map((repository) => repository.name))
  return [live, {...state, entries: state.entries.filter((e) => e.pattern.includes('*') || names.has(e.pattern))}]
})

// ---------- the naive oracle ----------

function naiveGlob(glob: string, text: string): boolean {
  // classic recursive wildcard match, deliberately unlike the regex-based implementation
  if (glob === '') return text === ''
  if (glob[0] === '*') return naiveGlob(glob.slice(1), text) || (text !== '' && naiveGlob(glob, text.slice(1)))
  return text !== '' && glob[0] === text[0] && naiveGlob(glob.slice(1), text.slice(1))
}

function naiveConditions(rule: KeepRule, image: LiveImage): boolean {
  const pushed = new Date(image.pushedAt).getTime()
  if (rule.tags && !image.tags.some((tag) => rule.tags!.some((glob) => naiveGlob(glob, tag)))) return false
  if (rule.digests && !rule.digests.includes(image.digest)) return false
  if (rule.pushedWithinMs !== undefined && !(NOW_MS - pushed < rule.pushedWithinMs)) return false
  if (rule.pulledWithinMs !== undefined) {
    if (image.lastPulledAt === undefined) return false
    if (!(NOW_MS - new Date(image.lastPulledAt).getTime() < rule.pulledWithinMs)) return false
  }
  return true
}

/** The digests that must survive in a repository, computed the slow obvious way. */
function mustKeep(repository: LiveRepository, entries: RepositoryEntry[], defaultGraceMs: number): Set<string> {
  const keep = new Set<string>()
  for (const e of entries) {
    for (const r of e.keep) {
      let matches = repository.images.filter((img) => naiveConditions(r, img))
      if (r.newest !== undefined) {
        matches = [...matches]
          .sort((a, b) => Date.parse(b.pushedAt) - Date.parse(a.pushedAt) || (a.digest < b.digest ? -1 : 1))
          .slice(0, r.newest)
      }
      for (const img of matches) keep.add(img.digest)
    }
  }
  const grace = Math.max(...entries.map((e) => e.gracePeriodMs ?? defaultGraceMs))
  for (const img of repository.images) if (NOW_MS - Date.parse(img.pushedAt) < grace) keep.add(img.digest)

  // fail closed (src/graph/resolve.ts): an unreadable manifest (these are all indexes or of unknown
  // type) might reference any other image of the repository, tagged or not
  const unreadable = repository.images.filter(
    (img) => img.manifestError !== undefined || (img.manifestMediaType === OCI_INDEX && img.manifest === undefined),
  )
  for (const img of repository.images) if (unreadable.some((u) => u.digest !== img.digest)) keep.add(img.digest)

  let changed = true
  while (changed) {
    changed = false
    for (const img of repository.images) {
      if (!keep.has(img.digest)) continue
      for (const child of img.manifest?.children ?? []) {
        if (!keep.has(child) && repository.images.some((other) => other.digest === child)) {
          keep.add(child)
          changed = true
        }
      }
    }
  }
  return keep
}

const entriesFor = (state: DesiredState, name: string) => state.entries.filter((e) => naiveGlob(e.pattern, name))
/** The entries that make a repository's images managed: those that declare `keep`. */
const imageEntriesFor = (state: DesiredState, name: string) => entriesFor(state, name).filter((e) => !e.keepOmitted)

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items]
  let state = seed || 1
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648
    const j = state % (i + 1)
    ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
  }
  return copy
}

const NUM_RUNS = 300

describe('createPlan properties', () => {
  it('never deletes an image a keep rule, the grace period, a kept index or fail-closed keeps; deletes all others', () => {
    fc.assert(
      fc.property(registryAndDesired, ([live, state]) => {
        const plan = createPlan(state, live, planOptions)
        const deleted = new Set(
          (plan.actions as DeleteImageAction[]).map((a) => `${a.repository} ${a.imageDigest}`),
        )
        for (const repository of live.repositories) {
          const entries = entriesFor(state, repository.name)
          if (entries.length === 0) continue
          const keep = imageEntriesFor(state, repository.name).length === 0
            ? new Set(repository.images.map((img) => img.digest)) // lifecycle-only: images untouched
            : mustKeep(repository, entries, state.defaults.gracePeriodMs)
          for (const img of repository.images) {
            const address = `${repository.name} ${img.digest}`
            // safety: what must be kept is never deleted; precision: nothing else survives
            expect(deleted.has(address), address).toBe(!keep.has(img.digest))
          }
        }
      }),
      {numRuns: NUM_RUNS},
    )
  })

  it('never plans an action on an unmanaged repository', () => {
    fc.assert(
      fc.property(registryAndDesired, ([live, state]) => {
        const plan = createPlan(state, live, planOptions)
        const unmanaged = live.repositories.filter((r) => entriesFor(state, r.name).length === 0).map((r) => r.name)
        expect(plan.unmanagedRepositories).toEqual(unmanaged)
        for (const action of plan.actions) expect(unmanaged).not.toContain(action.repository)
        for (const kept of plan.kept) expect(unmanaged).not.toContain(kept.repository)
      }),
      {numRuns: NUM_RUNS},
    )
  })

  it('decides every image of a managed repository exactly once, and every kept image has a reason', () => {
    fc.assert(
      fc.property(registryAndDesired, ([live, state]) => {
        const plan = createPlan(state, live, planOptions)
        const decided = [
          ...plan.actions.map((a) => `${a.repository} ${(a as DeleteImageAction).imageDigest}`),
          ...plan.kept.map((k) => `${k.repository} ${k.imageDigest}`),
        ].sort()
        const expected = live.repositories
          .filter((r) => imageEntriesFor(state, r.name).length > 0)
          .flatMap((r) => r.images.map((img) => `${r.name} ${img.digest}`))
          .sort()
        expect(decided).toEqual(expected)
        for (const kept of plan.kept) expect(kept.reasons.length).toBeGreaterThan(0)
        expect(plan.summary.imagesDeleted + plan.summary.imagesKept).toBe(expected.length)
      }),
      {numRuns: NUM_RUNS},
    )
  })

  it('gives an identical plan for shuffled input order', () => {
    fc.assert(
      fc.property(registryAndDesired, fc.integer({min: 1, max: 1_000_000}), ([live, state], seed) => {
        const reordered: LiveSnapshot = {
          ...live,
          repositories: shuffled(live.repositories, seed).map((r, i) => ({...r, images: shuffled(r.images, seed + i)})),
        }
        expect(createPlan(state, reordered, planOptions)).toEqual(createPlan(state, live, planOptions))
      }),
      {numRuns: NUM_RUNS},
    )
  })
})
