import {describe, expect, it} from 'vitest'
import {checkActions} from '../../../src/apply/preconditions.js'
import {canonicalPolicyText} from '../../../src/lifecycle/canonical.js'
import {del, digest, image, liveRepo, planOf} from './builders.js'

const live = (...repos: ReturnType<typeof liveRepo>[]) => new Map(repos.map((r) => [r.repository, r]))
const hex = (d: string) => d.slice('sha256:'.length)

describe('checkActions: images something that stays now refers to', () => {
  it('is stale when a signature pushed since the plan names it by cosign tag', () => {
    const plan = planOf([del('app', digest(1), ['v1'])])
    const signature = image(digest(7), [`sha256-${hex(digest(1))}.sig`])
    const [check] = checkActions(plan, live(liveRepo('app', [image(digest(1), ['v1']), signature])), canonicalPolicyText)
    expect(check!.status).toBe('stale')
    expect(check!.why).toContain(digest(7).slice(7, 19))
  })

  it('is stale when an OCI referrer pushed since the plan names it as its subject', () => {
    const plan = planOf([del('app', digest(1))])
    const sbom = image(digest(7), [], {manifest: {mediaType: 'application/vnd.oci.image.manifest.v1+json', subject: digest(1)}})
    const viaApi = image(digest(8), [], {subjectDigest: digest(1)})
    for (const referrer of [sbom, viaApi]) {
      const [check] = checkActions(plan, live(liveRepo('app', [image(digest(1)), referrer])), canonicalPolicyText)
      expect(check!.status).toBe('stale')
    }
  })

  it('stays pending when the referrer is deleted by the same plan', () => {
    const plan = planOf([del('app', digest(1)), del('app', digest(7), [`sha256-${hex(digest(1))}.sig`])])
    const signature = image(digest(7), [`sha256-${hex(digest(1))}.sig`])
    const checks = checkActions(plan, live(liveRepo('app', [image(digest(1)), signature])), canonicalPolicyText)
    expect(checks.map((c) => c.status)).toEqual(['pending', 'pending'])
  })
})

describe('checkActions: an image pushed again since the plan', () => {
  it('is stale when the digest was pushed again (e.g. the repository was deleted and recreated)', () => {
    const plan = planOf([del('app', digest(1), ['v1'], {imagePushedAt: '2025-01-01T00:00:00.000Z'})])
    const repushed = image(digest(1), ['v1'], {pushedAt: '2026-01-01T00:00:00.000Z'})
    const [check] = checkActions(plan, live(liveRepo('app', [repushed])), canonicalPolicyText)
    expect(check!.status).toBe('stale')
    expect(check!.why).toContain('pushed again')
  })

  it('compares push times as instants, not as text', () => {
    const plan = planOf([del('app', digest(1), ['v1'], {imagePushedAt: '2026-01-01T00:00:00Z'})])
    const same = image(digest(1), ['v1'], {pushedAt: '2026-01-01T00:00:00.000Z'})
    const [check] = checkActions(plan, live(liveRepo('app', [same])), canonicalPolicyText)
    expect(check!.status).toBe('pending')
  })
})

describe('checkActions: a planned index that turns stale while its manifest cannot be re-read', () => {
  it('keeps its children, from the references the plan recorded', () => {
    const plan = planOf([del('app', digest(1)), del('app', digest(9), ['old'], {references: [digest(1)]})])
    const index = image(digest(9), ['hotfix', 'old'], {manifestError: 'BatchGetImage failed: ThrottlingException: Rate exceeded'})
    const checks = checkActions(plan, live(liveRepo('app', [image(digest(1)), index])), canonicalPolicyText)
    expect(checks.map((c) => c.status)).toEqual(['stale', 'stale'])
    expect(checks[0]!.why).toContain(digest(9).slice(7, 19))
  })
})
