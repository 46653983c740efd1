import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import type {DeleteImageAction, KeptImage, UnsealedPlan} from '../../../src/model/plan.js'
import {createPlan} from '../../../src/planner/plan.js'
import {
  DAY_MS,
  HOUR_MS,
  NOW,
  OCI_INDEX,
  daysAgo,
  desired,
  digest,
  entry,
  hoursAgo,
  image,
  index,
  planOptions,
  repo,
  rule,
  snapshot,
} from '../../support/builders.js'

const deletedDigests = (plan: UnsealedPlan) =>
  (plan.actions as DeleteImageAction[]).filter((a) => a.type === 'deleteImage').map((a) => a.imageDigest)
const keptEntry = (plan: UnsealedPlan, imageDigest: string): KeptImage | undefined =>
  plan.kept.find((k) => k.imageDigest === imageDigest)
const keptCodes = (plan: UnsealedPlan, imageDigest: string) => keptEntry(plan, imageDigest)?.reasons.map((r) => r.code)

describe('createPlan: keep rules', () => {
  it('keeps images whose tag matches a glob and deletes the rest with a noKeepRule reason', () => {
    const v1 = image({tags: ['v1']})
    const dev = image({tags: ['dev-7'], pushedAt: '2024-10-01T00:00:00.000Z'})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['v*'], reason: 'releases'})])]}),
      snapshot([repo('app', [v1, dev])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([dev.digest])
    const action = plan.actions[0] as DeleteImageAction
    expect(action).toMatchObject({repository: 'app', imageTags: ['dev-7'], imagePushedAt: dev.pushedAt, sizeBytes: 100_000_000})
    expect(action.reasons).toEqual([{code: 'noKeepRule'}])
    const kept = keptEntry(plan, v1.digest)
    expect(kept?.reasons).toEqual([
      {code: 'keepRule', entry: 'app', index: 0, reason: 'releases', rule: 'app keep[0] tag=v*'},
    ])
  })

  it('never lets an untagged image match a tag condition, even the glob "*"', () => {
    const untagged = image()
    const plan = createPlan(desired({entries: [entry('app', [rule({tags: ['*']})])]}), snapshot([repo('app', [untagged])]), planOptions)
    expect(deletedDigests(plan)).toEqual([untagged.digest])
  })

  it('matches when any of the image tags matches any of the globs', () => {
    const multi = image({tags: ['abc', 'release-2']})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['nope', 'release-*']})])]}),
      snapshot([repo('app', [multi])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([])
  })

  it('requires every condition of a rule to hold', () => {
    const oldRelease = image({tags: ['v1'], pushedAt: daysAgo(40)})
    const newRelease = image({tags: ['v2'], pushedAt: daysAgo(10)})
    const newDev = image({tags: ['dev'], pushedAt: daysAgo(10)})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['v*'], pushedWithinMs: 30 * DAY_MS})])]}),
      snapshot([repo('app', [oldRelease, newRelease, newDev])]),
      planOptions,
    )
    expect(deletedDigests(plan).sort()).toEqual([oldRelease.digest, newDev.digest].sort())
  })

  it('keeps listed digests', () => {
    const pinned = image({digest: digest('pinned')})
    const other = image()
    const plan = createPlan(
      desired({entries: [entry('app', [rule({digests: [pinned.digest]})])]}),
      snapshot([repo('app', [pinned, other])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([other.digest])
  })

  it('pushedWithin keeps images pushed strictly less than the window before now', () => {
    const inside = image({pushedAt: new Date(NOW.getTime() - 30 * DAY_MS + 1).toISOString()})
    const onTheEdge = image({pushedAt: daysAgo(30)})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({pushedWithinMs: 30 * DAY_MS})])]}),
      snapshot([repo('app', [inside, onTheEdge])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([onTheEdge.digest])
  })

  it('pulledWithin needs a recorded pull inside the window; never pulled does not match', () => {
    const pulledRecently = image({lastPulledAt: daysAgo(5)})
    const pulledLongAgo = image({lastPulledAt: daysAgo(200)})
    const neverPulled = image({pushedAt: daysAgo(2)})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({pulledWithinMs: 90 * DAY_MS})])]}),
      snapshot([repo('app', [pulledRecently, pulledLongAgo, neverPulled])]),
      planOptions,
    )
    expect(deletedDigests(plan).sort()).toEqual([pulledLongAgo.digest, neverPulled.digest].sort())
  })

  it('newest narrows the matches to the N most recently pushed, and says which rank', () => {
    const builds = [1, 2, 3, 4].map((n) => image({tags: [`2025010${n}-000000`], pushedAt: daysAgo(50 - n)}))
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['20*-*'], newest: 2})])]}),
      snapshot([repo('app', builds)]),
      planOptions,
    )
    expect(deletedDigests(plan).sort()).toEqual([builds[0]!.digest, builds[1]!.digest].sort())
    expect(keptEntry(plan, builds[3]!.digest)?.reasons).toEqual([
      {code: 'keepRule', entry: 'app', index: 0, matching: 4, newest: 2, rank: 1, rule: 'app keep[0] tag=20*-* newest=2'},
    ])
    expect(keptEntry(plan, builds[2]!.digest)?.reasons[0]).toMatchObject({rank: 2, newest: 2, matching: 4})
  })

  it('breaks newest ties by ascending digest', () => {
    const sameTime = daysAgo(50)
    const a = image({digest: digest('tie-a'), tags: ['x'], pushedAt: sameTime})
    const b = image({digest: digest('tie-b'), tags: ['x'], pushedAt: sameTime})
    const [first, second] = [a, b].sort((p, q) => (p.digest < q.digest ? -1 : 1))
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['x'], newest: 1})])]}),
      snapshot([repo('app', [a, b])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([second!.digest])
    expect(keptEntry(plan, first!.digest)).toBeDefined()
  })

  it('combines the rules of every matching entry and records every reason', () => {
    const latest = image({tags: ['latest']})
    const plan = createPlan(
      desired({
        entries: [
          entry('spaceport/*', [rule({tags: ['latest']})]),
          entry('spaceport/sfm', [rule({tags: ['lat*'], reason: 'production'})]),
        ],
      }),
      snapshot([repo('spaceport/sfm', [latest])]),
      planOptions,
    )
    expect(keptEntry(plan, latest.digest)?.reasons.map((r) => (r.code === 'keepRule' ? r.rule : r.code))).toEqual([
      'spaceport/* keep[0] tag=latest',
      'spaceport/sfm keep[0] tag=lat*',
    ])
  })

  it('deletes every image of an entry with keep: [] once past the grace period', () => {
    const images = [image({tags: ['latest']}), image({tags: ['simple']}), image()]
    const plan = createPlan(desired({entries: [entry('legacy', [])]}), snapshot([repo('legacy', images)]), planOptions)
    expect(deletedDigests(plan)).toHaveLength(3)
    expect(plan.kept).toEqual([])
  })
})

describe('createPlan: grace period', () => {
  it('keeps images pushed less than the grace period ago, naming the grace period', () => {
    const fresh = image({pushedAt: hoursAgo(3)})
    const old = image({pushedAt: hoursAgo(25)})
    const plan = createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', [fresh, old])]), planOptions)
    expect(deletedDigests(plan)).toEqual([old.digest])
    expect(keptEntry(plan, fresh.digest)?.reasons).toEqual([
      {code: 'gracePeriod', gracePeriodMs: DAY_MS},
    ])
  })

  it('keeps images pushed after the evaluation time (clock skew)', () => {
    const future = image({pushedAt: daysAgo(-3)})
    const plan = createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', [future])]), planOptions)
    expect(keptCodes(plan, future.digest)).toEqual(['gracePeriod'])
    expect(keptEntry(plan, future.digest)?.reasons).toEqual([{code: 'gracePeriod', gracePeriodMs: 86_400_000}])
  })

  it('uses the longest grace period among matching entries', () => {
    const fiveDaysOld = image({pushedAt: daysAgo(5)})
    const plan = createPlan(
      desired({
        entries: [entry('app*', [], {gracePeriodMs: 7 * DAY_MS}), entry('app', [], {gracePeriodMs: HOUR_MS})],
      }),
      snapshot([repo('app', [fiveDaysOld])]),
      planOptions,
    )
    expect(keptEntry(plan, fiveDaysOld.digest)?.reasons).toEqual([
      {code: 'gracePeriod', gracePeriodMs: 7 * DAY_MS},
    ])
  })

  it('falls back to the default grace period for entries without their own', () => {
    const twoDaysOld = image({pushedAt: daysAgo(2)})
    const plan = createPlan(
      desired({gracePeriodMs: 3 * DAY_MS, entries: [entry('app', [])]}),
      snapshot([repo('app', [twoDaysOld])]),
      planOptions,
    )
    expect(keptCodes(plan, twoDaysOld.digest)).toEqual(['gracePeriod'])
  })
})

describe('createPlan: image indexes', () => {
  it('keeps the untagged children of a kept index, naming the parent', () => {
    const amd64 = image({digest: digest('amd64')})
    const arm64 = image({digest: digest('arm64')})
    const multi = index([amd64, arm64], {digest: digest('index'), tags: ['v2']})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['v2']})])]}),
      snapshot([repo('app', [amd64, arm64, multi])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([])
    const reason = keptEntry(plan, amd64.digest)?.reasons[0]
    expect(reason).toEqual({code: 'indexChild', relatedDigest: multi.digest})
  })

  it('follows nested indexes to a fixed point', () => {
    const leaf = image()
    const inner = index([leaf])
    const outer = index([inner], {tags: ['release']})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['release']})])]}),
      snapshot([repo('app', [leaf, inner, outer])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([])
    expect(keptEntry(plan, leaf.digest)?.reasons[0]).toEqual({code: 'indexChild', relatedDigest: inner.digest})
  })

  it('keeps a tagged child of a kept index even when no rule keeps its own tag', () => {
    const child = image({tags: ['arch-amd64']})
    const parent = index([child], {tags: ['v1']})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['v1']})])]}),
      snapshot([repo('app', [child, parent])]),
      planOptions,
    )
    expect(keptCodes(plan, child.digest)).toEqual(['indexChild'])
  })

  it('records every kept parent of a shared child, and a kept child also keeps its rule reason', () => {
    const shared = image({tags: ['base']})
    const a = index([shared], {tags: ['a']})
    const b = index([shared], {tags: ['b']})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['a', 'b', 'base']})])]}),
      snapshot([repo('app', [shared, a, b])]),
      planOptions,
    )
    expect(keptCodes(plan, shared.digest)).toEqual(['keepRule', 'indexChild', 'indexChild'])
    expect(keptEntry(plan, shared.digest)?.reasons.slice(1)).toEqual([a.digest, b.digest].sort().map((relatedDigest) => ({code: 'indexChild', relatedDigest})))
  })

  it('deletes the children of a deleted index, and the deleted index lists its references', () => {
    const child = image({digest: digest('child-x')})
    const parent = index([child], {tags: ['old']})
    const plan = createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', [child, parent])]), planOptions)
    expect(deletedDigests(plan).sort()).toEqual([child.digest, parent.digest].sort())
    const parentAction = (plan.actions as DeleteImageAction[]).find((a) => a.imageDigest === parent.digest)
    expect(parentAction?.references).toEqual([child.digest])
    const childAction = (plan.actions as DeleteImageAction[]).find((a) => a.imageDigest === child.digest)
    expect(childAction?.references).toBeUndefined()
  })

  it('warns when a kept index lists a child that is not in the repository', () => {
    const parent = index([digest('gone')], {tags: ['v1']})
    const plan = createPlan(desired({entries: [entry('app', [rule({tags: ['v1']})])]}), snapshot([repo('app', [parent])]), planOptions)
    expect(plan.warnings).toEqual([expect.objectContaining({repository: 'app', imageDigest: parent.digest})])
    expect(plan.warnings[0]?.message).toContain('not in the repository')
  })
})

describe('createPlan: fail closed on unreadable manifests', () => {
  it('keeps every image an unreadable index might reference, tagged or not, and warns', () => {
    const broken = image({tags: ['v1'], manifestMediaType: OCI_INDEX, manifestError: 'invalid JSON'})
    const untagged = image()
    const tagged = image({tags: ['dev']})
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['v1']})])]}),
      snapshot([repo('app', [broken, untagged, tagged])]),
      planOptions,
    )
    // a tagged image can be a platform child too (docker manifest create app:v1 app:v1-amd64 …)
    expect(deletedDigests(plan)).toEqual([])
    expect(keptCodes(plan, tagged.digest)).toEqual(['manifestUnreadable'])
    expect(keptCodes(plan, untagged.digest)).toEqual(['manifestUnreadable'])
    expect(keptEntry(plan, untagged.digest)?.reasons[0]).toMatchObject({code: 'manifestUnreadable', relatedDigest: broken.digest, unreadableCount: 1})
    expect(plan.warnings).toEqual([
      expect.objectContaining({repository: 'app', imageDigest: broken.digest, message: expect.stringContaining('invalid JSON')}),
    ])
  })

  it('treats an index whose manifest was not read as unreadable', () => {
    const unread = image({tags: ['v1'], manifestMediaType: 'application/vnd.docker.distribution.manifest.list.v2+json'})
    const untagged = image()
    const plan = createPlan(
      desired({entries: [entry('app', [rule({tags: ['v1']})])]}),
      snapshot([repo('app', [unread, untagged])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([])
    expect(keptCodes(plan, untagged.digest)).toEqual(['manifestUnreadable'])
  })

  it('only affects the repository with the unreadable manifest', () => {
    const broken = image({tags: ['v1'], manifestError: 'timeout'})
    const untaggedElsewhere = image()
    const plan = createPlan(
      desired({entries: [entry('*', [rule({tags: ['v1']})])]}),
      snapshot([repo('a', [broken, image()]), repo('b', [untaggedElsewhere])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([untaggedElsewhere.digest])
  })

  it('keeps the children of an index kept only because of fail-closed, naming both edges', () => {
    const child = image({tags: ['arm64-only']})
    const untaggedIndex = index([child])
    const broken = image({tags: ['x'], manifestError: 'parse error'})
    const plan = createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', [child, untaggedIndex, broken])]), planOptions)
    expect(deletedDigests(plan)).toEqual([broken.digest])
    expect(keptCodes(plan, child.digest)).toEqual(['indexChild', 'manifestUnreadable'])
  })
})

describe('createPlan: repositories, guards and warnings', () => {
  it('never touches unmanaged repositories and lists them sorted', () => {
    const plan = createPlan(
      desired({entries: [entry('app', [])]}),
      snapshot([repo('zeta', [image()], {imagesRead: false}), repo('app', [image()]), repo('beta', [image()])]),
      planOptions,
    )
    expect(plan.managedRepositories).toEqual(['app'])
    expect(plan.unmanagedRepositories).toEqual(['beta', 'zeta'])
    expect(plan.actions.every((a) => a.repository === 'app')).toBe(true)
    expect(plan.summary.repositories.map((r) => r.repository)).toEqual(['app'])
  })

  it('refuses a managed repository whose images the snapshot did not read', () => {
    const act = () =>
      createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', [], {imagesRead: false})]), planOptions)
    expect(act).toThrow(EcrctlError)
    expect(act).toThrow(/does not include images of repository app/)
    try {
      act()
    } catch (error) {
      expect((error as EcrctlError).format()).toContain('ecrctl snapshot -f desired-state/test.yaml')
    }
  })

  it('refuses a registry other than the one the desired state names', () => {
    const act = () =>
      createPlan(
        desired({registry: {accountId: '111111111111', region: 'eu-west-1'}, entries: []}),
        snapshot([], {accountId: '123456789012', region: 'us-east-1'}),
        planOptions,
      )
    expect(act).toThrow(
      'The desired state is for account 111111111111 / region eu-west-1 but the registry is account 123456789012 / region us-east-1.',
    )
  })

  it('accepts a registry matching the parts the desired state names', () => {
    const plan = createPlan(desired({registry: {region: 'us-east-1'}, entries: []}), snapshot([]), planOptions)
    expect(plan.registry).toEqual({accountId: '123456789012', region: 'us-east-1'})
  })

  it('refuses an exact entry name that matches no repository, suggesting the close one', () => {
    const act = () =>
      createPlan(desired({entries: [entry('spaceprot/sfm', [])]}), snapshot([repo('spaceport/sfm', [])]), planOptions)
    expect(act).toThrow(EcrctlError)
    expect(act).toThrow(/"spaceprot\/sfm" \(desired-state\/test\.yaml:1\) \(did you mean "spaceport\/sfm"\?\)/)
  })

  it('accepts a glob entry that matches no repository', () => {
    const plan = createPlan(
      desired({entries: [entry('spaceport/sfm', []), entry('nothing/*', [])]}),
      snapshot([repo('spaceport/sfm', [])]),
      planOptions,
    )
    expect(plan.warnings).toEqual([])
    expect(plan.managedRepositories).toEqual(['spaceport/sfm'])
  })

  it('refuses unreadable push times instead of guessing', () => {
    const act = () => createPlan(desired({entries: [entry('app', [])]}), snapshot([repo('app', [image({pushedAt: 'yesterday'})])]), planOptions)
    expect(act).toThrow(/unreadable pushedAt/)
  })
})

describe('createPlan: document and summary', () => {
  it('carries the plan header fields', () => {
    const plan = createPlan(
      desired({entries: [], defaults: {gracePeriodMs: DAY_MS, maxDeletions: 50}}),
      snapshot([]),
      planOptions,
    )
    expect(plan).toMatchObject({
      kind: 'ecrctl-plan',
      formatVersion: 2,
      ecrctlVersion: '0.0.0-test',
      evaluatedAt: '2025-02-01T00:00:00.000Z',
      desiredStateSha256: 'a'.repeat(64),
      desiredStateFiles: ['desired-state/test.yaml'],
      maxDeletions: 50,
    })
    expect(plan).not.toHaveProperty('checksum')
  })

  it('omits maxDeletions when the desired state has none', () => {
    expect(createPlan(desired(), snapshot([]), planOptions)).not.toHaveProperty('maxDeletions')
  })

  it('sums counts and bytes per repository and in total, and estimates the saving (rounded to the cent only when shown)', () => {
    const plan = createPlan(
      desired({entries: [entry('*', [rule({tags: ['keep']})])]}),
      snapshot([
        repo('a', [image({sizeBytes: 1_234_000_000}), image({tags: ['keep'], sizeBytes: 5})]),
        repo('b', [image({sizeBytes: 2_000_000_000})]),
      ]),
      {...planOptions, pricePerGbMonth: 0.1},
    )
    expect(plan.summary).toEqual({
      repositories: [
        {repository: 'a', imagesTotal: 2, imagesKept: 1, imagesDeleted: 1, bytesDeleted: 1_234_000_000},
        {repository: 'b', imagesTotal: 1, imagesKept: 0, imagesDeleted: 1, bytesDeleted: 2_000_000_000},
      ],
      imagesDeleted: 2,
      imagesKept: 1,
      bytesDeleted: 3_234_000_000,
      lifecyclePolicyChanges: 0,
      pricePerGbMonth: 0.1,
      estimatedMonthlySavingsUsd: 0.3234,
    })
  })

  it('sorts actions by repository then digest and kept likewise', () => {
    const images = Array.from({length: 6}, (_, n) => image({digest: digest(`sort-${n}`), tags: n % 2 ? ['k'] : []}))
    const plan = createPlan(
      desired({entries: [entry('*', [rule({tags: ['k']})])]}),
      snapshot([repo('b', images.slice(0, 3)), repo('a', images.slice(3))]),
      planOptions,
    )
    const addresses = (list: Array<{repository: string; imageDigest?: string}>) => list.map((x) => `${x.repository} ${x.imageDigest}`)
    expect(addresses(plan.actions as DeleteImageAction[])).toEqual([...addresses(plan.actions as DeleteImageAction[])].sort())
    expect(addresses(plan.kept)).toEqual([...addresses(plan.kept)].sort())
    expect(plan.actions[0]?.repository).toBe('a')
  })
})

describe('createPlan: lifecycle-only entries', () => {
  it('manages the repository but decides none of its images when no matching entry declares keep', () => {
    const old = image({tags: ['x']})
    const plan = createPlan(
      desired({entries: [entry('app', [], {keepOmitted: true, lifecycle: 'none'})]}),
      snapshot([repo('app', [old], {imagesRead: false})]),
      planOptions,
    )
    expect(plan.managedRepositories).toEqual(['app'])
    expect(plan.actions).toEqual([])
    expect(plan.kept).toEqual([])
    expect(plan.summary.repositories).toEqual([
      {repository: 'app', imagesManaged: false, imagesTotal: 0, imagesKept: 0, imagesDeleted: 0, bytesDeleted: 0},
    ])
  })

  it('lets a keep entry manage the images while a lifecycle-only entry matches too', () => {
    const old = image({tags: ['x']})
    const plan = createPlan(
      desired({entries: [entry('app*', [], {keepOmitted: true, lifecycle: 'none'}), entry('app', [])]}),
      snapshot([repo('app', [old])]),
      planOptions,
    )
    expect(deletedDigests(plan)).toEqual([old.digest])
  })
})

describe('createPlan: inUse is not yet acted on, so it fails closed', () => {
  it('refuses a desired state with an inUse section instead of planning as if nothing were in use', () => {
    const base = desired({entries: [entry('app', [rule({tags: ['keep']})])]})
    const withInUse = {...base, inUse: {aws: []} as unknown as NonNullable<typeof base.inUse>}
    const registry = snapshot([repo('app', [image({digest: digest(1), tags: ['old'], pushedAt: daysAgo(90)})])])
    expect(() => createPlan(withInUse, registry, planOptions)).toThrow(EcrctlError)
    expect(() => createPlan(withInUse, registry, planOptions)).toThrow(/inUse section.*does not yet act on/)
    expect(deletedDigests(createPlan(base, registry, planOptions))).toEqual([digest(1)])
  })
})
