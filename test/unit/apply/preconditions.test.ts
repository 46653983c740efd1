import {describe, expect, it} from 'vitest'
import {
  checkActions,
  checkDeletionLimit,
  checkRegistryIdentity,
  staleRefusal,
  tagChangeSincePlan,
} from '../../../src/apply/preconditions.js'
import {canonicalPolicyText} from '../../../src/lifecycle/canonical.js'
import {EcrctlError} from '../../../src/errors.js'
import {del, digest, image, liveRepo, planOf, put} from './builders.js'

const live = (...repos: ReturnType<typeof liveRepo>[]) => new Map(repos.map((r) => [r.repository, r]))

describe('checkActions: deleteImage', () => {
  it('is pending while the digest still has exactly the plan-time tags', () => {
    const plan = planOf([del('app', digest(1), ['v1'])])
    const [check] = checkActions(plan, live(liveRepo('app', [image(digest(1), ['v1'])])), canonicalPolicyText)
    expect(check!.status).toBe('pending')
  })

  it('is done when the digest is already gone, or the repository is', () => {
    const plan = planOf([del('app', digest(1)), del('gone', digest(2))])
    const checks = checkActions(plan, live(liveRepo('app', [])), canonicalPolicyText)
    expect(checks.map((c) => c.status)).toEqual(['done', 'done'])
  })

  it('is stale when a tag was pushed onto the digest since the plan, naming the tag', () => {
    const plan = planOf([del('app', digest(1), ['v1'])])
    const [check] = checkActions(plan, live(liveRepo('app', [image(digest(1), ['hotfix', 'v1'])])), canonicalPolicyText)
    expect(check!.status).toBe('stale')
    expect(check!.why).toContain('tag hotfix added')
  })

  it('is stale when a tag was removed (moved away) since the plan', () => {
    const plan = planOf([del('app', digest(1), ['v1'])])
    const [check] = checkActions(plan, live(liveRepo('app', [image(digest(1), [])])), canonicalPolicyText)
    expect(check!.status).toBe('stale')
    expect(check!.why).toContain('tag v1 removed')
  })

  it('is stale when an index that stays now references it', () => {
    const plan = planOf([del('app', digest(1))])
    const index = image(digest(9), ['latest'], {manifest: {mediaType: 'index', children: [digest(1)]}})
    const [check] = checkActions(plan, live(liveRepo('app', [image(digest(1)), index])), canonicalPolicyText)
    expect(check!.status).toBe('stale')
    expect(check!.why).toContain('referenced by image index')
  })

  it('stays pending when the referencing index is deleted by the same plan', () => {
    const plan = planOf([del('app', digest(1)), del('app', digest(9), ['old'])])
    const index = image(digest(9), ['old'], {manifest: {mediaType: 'index', children: [digest(1)]}})
    const checks = checkActions(plan, live(liveRepo('app', [image(digest(1)), index])), canonicalPolicyText)
    expect(checks.map((c) => c.status)).toEqual(['pending', 'pending'])
  })

  it('turns the children stale when their index is stale (it will not be deleted)', () => {
    const plan = planOf([del('app', digest(1)), del('app', digest(9), ['old'])])
    const index = image(digest(9), ['old', 'hotfix'], {manifest: {mediaType: 'index', children: [digest(1)]}})
    const checks = checkActions(plan, live(liveRepo('app', [image(digest(1)), index])), canonicalPolicyText)
    expect(checks.map((c) => c.status)).toEqual(['stale', 'stale'])
  })

  it('fails closed on an unreadable manifest of an image pushed since the plan', () => {
    const plan = planOf([del('app', digest(1))])
    const newcomer = image(digest(7), ['new'], {manifestError: 'cannot parse'})
    const [check] = checkActions(plan, live(liveRepo('app', [image(digest(1)), newcomer])), canonicalPolicyText)
    expect(check!.status).toBe('stale')
  })
})

describe('tagChangeSincePlan (the stale-tag check of the pre-checks and of each batch)', () => {
  it('sees no change when the tags are the same set, in any order', () => {
    expect(tagChangeSincePlan(['a', 'b'], ['b', 'a'])).toBeUndefined()
    expect(tagChangeSincePlan([], [])).toBeUndefined()
  })
  it('names what was added and what was removed', () => {
    expect(tagChangeSincePlan([], ['hotfix'])).toBe('tag hotfix added since the plan')
    expect(tagChangeSincePlan(['v1', 'v2'], ['v2', 'x', 'y'])).toBe('tags x, y added and tag v1 removed since the plan')
  })
})

describe('checkActions: lifecycle policies', () => {
  const before = canonicalPolicyText('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}')!
  const after = canonicalPolicyText('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}')!

  it('is pending when the live policy equals before, even spelled differently', () => {
    const respelled = JSON.stringify(JSON.parse(before))
    const [check] = checkActions(planOf([put('app', before, after)]), live(liveRepo('app', [], respelled)), canonicalPolicyText)
    expect(check!.status).toBe('pending')
  })

  it('is done when the live policy already equals after', () => {
    const [check] = checkActions(planOf([put('app', before, after)]), live(liveRepo('app', [], after)), canonicalPolicyText)
    expect(check!.status).toBe('done')
  })

  it('is stale when the policy was changed or deleted since the plan', () => {
    const changed = checkActions(planOf([put('app', before, after)]), live(liveRepo('app', [], '{"rules":[]}')), canonicalPolicyText)
    const deleted = checkActions(planOf([put('app', before, after)]), live(liveRepo('app', [], null)), canonicalPolicyText)
    expect(changed[0]!.status).toBe('stale')
    expect(deleted[0]!.status).toBe('stale')
    expect(deleted[0]!.why).toContain('deleted')
  })

  it('deleteLifecyclePolicy: done when there is no policy, pending while it equals before', () => {
    const action = {type: 'deleteLifecyclePolicy' as const, repository: 'app', before, declaredBy: {entry: 'app', file: 'desired-state/app.yaml', line: 1}}
    expect(checkActions(planOf([action]), live(liveRepo('app', [], null)), canonicalPolicyText)[0]!.status).toBe('done')
    expect(checkActions(planOf([action]), live(liveRepo('app', [], before)), canonicalPolicyText)[0]!.status).toBe('pending')
  })
})

describe('refusals', () => {
  it('refuses a plan made for another account or region, naming both', () => {
    const plan = planOf([])
    expect(() => checkRegistryIdentity(plan, {accountId: '123456789012', region: 'us-east-1'})).not.toThrow()
    try {
      checkRegistryIdentity(plan, {accountId: '111122223333', region: 'eu-west-1'})
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(EcrctlError)
      const text = (error as EcrctlError).format()
      expect(text).toContain('another registry')
      expect(text).toContain('111122223333')
      expect(text).toContain('eu-west-1')
      expect(text).not.toContain('stale')
    }
  })

  it('refuses more deletions than the stricter of flag and desired-state limit', () => {
    const plan = planOf([del('a', digest(1)), del('a', digest(2)), del('a', digest(3))])
    expect(() => checkDeletionLimit(plan, 3)).not.toThrow()
    expect(() => checkDeletionLimit(plan)).not.toThrow()
    expect(() => checkDeletionLimit(plan, 2)).toThrow(/3 images, more than the limit of 2/)
    try {
      checkDeletionLimit({...plan, maxDeletions: 1}, 5)
      expect.unreachable()
    } catch (error) {
      expect((error as EcrctlError).format()).toMatch(/limit of 1.*desired state/)
    }
  })

  it('lists every stale action with its reason and the next steps', () => {
    const plan = planOf([del('app', digest(1), ['v1']), del('app', digest(2))])
    const checks = checkActions(plan, live(liveRepo('app', [image(digest(1), ['v1', 'hotfix']), image(digest(2))])), canonicalPolicyText)
    const error = staleRefusal(checks)!
    expect(error.format()).toContain('1 of its 2 actions')
    expect(error.format()).toContain(digest(1))
    expect(error.format()).toContain('--skip-stale')
    expect(error.format()).toContain('ecrctl plan')
    expect(staleRefusal(checks.filter((c) => c.status !== 'stale'))).toBeUndefined()
  })
})
