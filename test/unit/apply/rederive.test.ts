/**
 * Apply's re-derivation: the planner's fresh verdict on each pending action, from the desired state
 * at hand, the live repositories and the current time. Pure; the live state comes from builders.ts.
 */
import {describe, expect, it} from 'vitest'
import {checkDesiredStateAtHand, rederiveChecks, registryChecksOnlyNotice} from '../../../src/apply/rederive.js'
import {checkActions, type ActionCheck} from '../../../src/apply/preconditions.js'
import {parseDesiredState} from '../../../src/desired/load.js'
import {EcrctlError} from '../../../src/errors.js'
import {canonicalPolicyText} from '../../../src/lifecycle/canonical.js'
import type {PlanAction} from '../../../src/model/plan.js'
import type {LiveRepositoryState} from '../../../src/model/registry.js'
import {del, digest, image, liveRepo, planOf, put} from './builders.js'

const REGISTRY = {accountId: '123456789012', region: 'us-east-1'}
/** The builders push every image at 2026-01-01; a day later the default 24h grace period is over. */
const NOW = new Date('2026-01-03T00:00:00.000Z')

const EXPIRE_UNTAGGED = {rules: [{rulePriority: 1, selection: {tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5}, action: {type: 'expire'}}]}
const EXPIRE_EVERYTHING = {rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1}, action: {type: 'expire'}}]}
const policyText = (doc: unknown): string => canonicalPolicyText(JSON.stringify(doc))!

const DESIRED = `version: 1
repositories:
  app:
    keep:
      - tag: prod
  infra:
    lifecycle:
      rules:
        - rulePriority: 1
          selection: {tagStatus: untagged, countType: imageCountMoreThan, countNumber: 5}
          action: {type: expire}
`
const desired = (text = DESIRED) => parseDesiredState(text, 'desired.yaml')

function rederive(actions: PlanAction[], repositories: LiveRepositoryState[], options: {text?: string; now?: Date} = {}): ActionCheck[] {
  const live = new Map(repositories.map((repository) => [repository.repository, repository]))
  const checks = checkActions(planOf(actions), live, canonicalPolicyText)
  return rederiveChecks(checks, live, {desired: desired(options.text), registry: REGISTRY, now: options.now ?? NOW})
}

const app = () => liveRepo('app', [image(digest(1), ['prod']), image(digest(2), ['old-1']), image(digest(3), [])])

describe('rederiveChecks: deletions', () => {
  it('keeps pending every deletion the fresh evaluation also makes', () => {
    const checks = rederive([del('app', digest(2), ['old-1']), del('app', digest(3))], [app()])
    expect(checks.map((check) => check.status)).toEqual(['pending', 'pending'])
  })

  it('turns stale a deletion of an image the desired state keeps (a forged plan deleting the production image), saying why', () => {
    const [forged, legit] = rederive([del('app', digest(1), ['prod']), del('app', digest(2), ['old-1'])], [app()])
    expect(forged).toMatchObject({status: 'stale', why: expect.stringMatching(/^the desired state keeps it: keep rule app keep\[0\]/)})
    expect(legit!.status).toBe('pending')
  })

  it('turns stale a deletion in a repository no entry matches (an unmanaged repository)', () => {
    const [check] = rederive([del('other', digest(7), ['x'])], [liveRepo('other', [image(digest(7), ['x'])])])
    expect(check).toMatchObject({status: 'stale', why: 'the desired state does not manage repository other (no entry matches it)'})
  })

  it('turns stale a deletion in a repository whose entry declares only a lifecycle policy', () => {
    const [check] = rederive([del('infra', digest(7))], [liveRepo('infra', [image(digest(7))], policyText(EXPIRE_UNTAGGED))])
    expect(check).toMatchObject({status: 'stale', why: expect.stringMatching(/does not manage the images of infra/)})
  })

  it('measures ages at the current time: an image inside the grace period now is kept, whatever the plan said', () => {
    const repository = liveRepo('app', [image(digest(1), ['prod']), image(digest(4), [], {pushedAt: '2026-01-02T23:00:00.000Z'})])
    const [check] = rederive([del('app', digest(4), [], {imagePushedAt: '2026-01-02T23:00:00.000Z'})], [repository])
    expect(check).toMatchObject({status: 'stale', why: expect.stringMatching(/^the desired state keeps it: pushed 1 hour ago, within the 1d grace period/)})
  })

  it('keeps the children of an index the desired state keeps: deleting them is stale too', () => {
    const repository = liveRepo('app', [image(digest(9), ['prod'], {manifest: {mediaType: 'index', children: [digest(5)]}}), image(digest(5))])
    const [index, child] = rederive([del('app', digest(9), ['prod']), del('app', digest(5))], [repository])
    expect(index!.status).toBe('stale')
    expect(child).toMatchObject({status: 'stale', why: expect.stringMatching(/keeps it: .*index/)})
  })

  it('leaves done and registry-stale actions as they are', () => {
    const repository = liveRepo('app', [image(digest(1), ['prod', 'hotfix'])])
    const checks = rederive([del('app', digest(1), ['prod']), del('app', digest(2))], [repository])
    expect(checks.map((check) => [check.status, check.why])).toEqual([
      ['stale', 'tag hotfix added since the plan'],
      ['done', 'already deleted'],
    ])
  })
})

describe('rederiveChecks: lifecycle policies', () => {
  it('keeps pending the put the desired state declares', () => {
    const [check] = rederive([put('infra', null, policyText(EXPIRE_UNTAGGED))], [liveRepo('infra', [])])
    expect(check!.status).toBe('pending')
  })

  it('turns stale a put of a policy the desired state does not declare (a forged expire-everything policy)', () => {
    const [declared, undeclared] = rederive(
      [put('infra', null, policyText(EXPIRE_EVERYTHING)), put('app', null, policyText(EXPIRE_EVERYTHING))],
      [liveRepo('infra', []), app()],
    )
    expect(declared).toMatchObject({status: 'stale', why: 'the desired state declares another lifecycle policy for infra'})
    expect(undeclared).toMatchObject({status: 'stale', why: 'the desired state would not change the lifecycle policy of app'})
  })

  it('turns stale a delete of a policy the desired state does not ask to delete', () => {
    const [check] = rederive([{type: 'deleteLifecyclePolicy', repository: 'infra', before: policyText(EXPIRE_UNTAGGED), declaredBy: {entry: 'infra', file: 'desired-state/infra.yaml', line: 1}}], [liveRepo('infra', [], policyText(EXPIRE_UNTAGGED))])
    expect(check).toMatchObject({status: 'stale', why: 'the desired state would not change the lifecycle policy of infra'})
  })

  it('turns stale a put whose policy would expire images the desired state keeps, naming the conflict', () => {
    const text = `version: 1
repositories:
  app:
    keep:
      - tag: prod
    lifecycle:
      rules:
        - rulePriority: 1
          selection: {tagStatus: any, countType: sinceImagePushed, countUnit: days, countNumber: 1}
          action: {type: expire}
`
    const [check] = rederive([put('app', null, policyText(EXPIRE_EVERYTHING))], [app()], {text})
    expect(check).toMatchObject({status: 'stale', why: expect.stringMatching(/^the desired state's lifecycle check refuses it: .*would expire an image the desired state keeps/)})
  })
})

describe('rederiveChecks: the desired state itself', () => {
  it('refuses a desired state that names another registry', () => {
    const text = `version: 1\nregistry:\n  accountId: "111122223333"\nrepositories:\n  app:\n    keep: []\n`
    expect(() => rederive([del('app', digest(2), ['old-1'])], [app()], {text})).toThrow(/desired state is for account 111122223333/)
  })
})

describe('checkDesiredStateAtHand', () => {
  const plan = {desiredStateSha256: desired().sha256, desiredStateFiles: ['desired-state/app.yaml']}

  it('accepts the desired state the plan was made from', () => {
    expect(() => checkDesiredStateAtHand(plan, desired(), false)).not.toThrow()
  })

  it('refuses another one: "the desired state changed since this plan was made; re-plan"', () => {
    const other = desired(DESIRED.replace('tag: prod', 'tag: old-2'))
    const error = (() => {
      try {
        checkDesiredStateAtHand(plan, other, false)
      } catch (caught) {
        return caught as EcrctlError
      }
    })()
    expect(error).toBeInstanceOf(EcrctlError)
    expect(error!.kind).toBe('refused')
    expect(error!.message).toBe('The desired state changed since this plan was made; re-plan. Nothing was changed.')
    expect(error!.detail).toContain(other.sha256)
    expect(error!.detail).toContain('desired-state/app.yaml')
  })

  it('without a desired state at hand: passes, unless --require-desired-state makes it an error', () => {
    expect(() => checkDesiredStateAtHand(plan, undefined, false)).not.toThrow()
    expect(() => checkDesiredStateAtHand(plan, undefined, true)).toThrow(/No desired state at hand, and --require-desired-state/)
    expect(registryChecksOnlyNotice(plan)).toMatch(/^No desired state at hand \(the plan was made from desired-state\/app.yaml\): only registry checks were made\./)
  })
})
