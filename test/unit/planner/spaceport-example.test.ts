/**
 * The bundled example end to end at the planner level: desired-state/spaceport.yaml through the
 * real loader, against examples/spaceport/live-state.json, at the README's evaluation time.
 */
import {readFileSync} from 'node:fs'
import {beforeAll, describe, expect, it} from 'vitest'
import {loadDesiredState} from '../../../src/desired/load.js'
import type {DeleteImageAction, UnsealedPlan} from '../../../src/model/plan.js'
import type {LiveSnapshot} from '../../../src/model/snapshot.js'
import {createPlan} from '../../../src/planner/plan.js'

const live = JSON.parse(readFileSync('examples/spaceport/live-state.json', 'utf8')) as LiveSnapshot
const imageTagged = (repository: string, tag: string) =>
  live.repositories.find((r) => r.name === repository)!.images.find((i) => i.tags.includes(tag))!

let plan: UnsealedPlan
beforeAll(async () => {
  const desired = await loadDesiredState('desired-state/spaceport.yaml')
  plan = createPlan(desired, live, {now: new Date('2025-02-01T00:00:00Z'), pricePerGbMonth: 0.1, ecrctlVersion: 'test'})
})

const deleted = () => new Set((plan.actions as DeleteImageAction[]).map((a) => `${a.repository}@${a.imageDigest}`))
const keptReasons = (repository: string, digest: string) =>
  plan.kept.find((k) => k.repository === repository && k.imageDigest === digest)?.reasons ?? []

describe('the bundled spaceport example', () => {
  it('keeps the three production images with the reasons from the report', () => {
    const sfm = imageTagged('spaceport/sfm', 'real-colmap-fixed-final')
    expect(keptReasons('spaceport/sfm', sfm.digest).map((r) => (r.code === 'keepRule' ? r.reason : undefined))).toContainEqual(
      expect.stringContaining('production SfM image used by the start_ml_job Lambda'),
    )
    expect(keptReasons('spaceport/3dgs', imageTagged('spaceport/3dgs', 'latest').digest)).not.toEqual([])
    expect(keptReasons('spaceport/compressor', imageTagged('spaceport/compressor', 'latest').digest)).not.toEqual([])
  })

  it('keeps the platform children of the kept 3dgs multi-arch index', () => {
    const index = imageTagged('spaceport/3dgs', 'latest')
    expect(index.manifest?.children?.length).toBe(2)
    for (const child of index.manifest!.children!) {
      expect(deleted().has(`spaceport/3dgs@${child}`)).toBe(false)
      expect(keptReasons('spaceport/3dgs', child).map((r) => r.code)).toContain('indexChild')
    }
  })

  it('deletes every legacy spaceport-ml-sogs-compressor image', () => {
    const legacy = live.repositories.find((r) => r.name === 'spaceport-ml-sogs-compressor')!
    for (const image of legacy.images) expect(deleted().has(`${legacy.name}@${image.digest}`)).toBe(true)
  })

  it('keeps old builds only within 30 days or among the newest five', () => {
    const sfm = live.repositories.find((r) => r.name === 'spaceport/sfm')!
    const builds = sfm.images.filter((i) => i.tags.some((t) => /^\d{8}-\d{6}$/.test(t)))
    const newestFive = [...builds].sort((a, b) => b.pushedAt.localeCompare(a.pushedAt)).slice(0, 5)
    for (const image of builds) {
      const recent = Date.parse('2025-02-01T00:00:00Z') - Date.parse(image.pushedAt) < 30 * 86_400_000
      const protectedByTag = image.tags.includes('real-colmap-fixed-final')
      const keep = recent || newestFive.includes(image) || protectedByTag
      expect(deleted().has(`spaceport/sfm@${image.digest}`), image.tags.join(',')).toBe(!keep)
    }
  })

  it('leaves team-x/tools unmanaged, has no warnings, and stays under maxDeletions', () => {
    expect(plan.unmanagedRepositories).toEqual(['team-x/tools'])
    expect(plan.warnings).toEqual([])
    expect(plan.actions.length).toBeGreaterThan(0)
    expect(plan.actions.length).toBeLessThanOrEqual(plan.maxDeletions!)
  })
})
