/**
 * The bundled example (desired-state/ + examples/spaceport/live-state.json): the seed's live
 * "keep only 10 most recent images" rule conflicts with images the desired state keeps, and the
 * protective rules the bundled desired state declares fix it.
 * (emulator: moto never runs policies, so this is planned offline from the bundled snapshot)
 */
import {globMatches} from '../../../src/util/glob.js'
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {loadDesiredState} from '../../../src/desired/load.js'
import {isEcrctlError} from '../../../src/errors.js'
import {canonicalPolicyText} from '../../../src/lifecycle/canonical.js'
import type {DesiredState, LifecyclePolicyDoc} from '../../../src/model/desired.js'
import type {LiveSnapshot} from '../../../src/model/snapshot.js'
import {parsePlan} from '../../../src/planfile/read.js'
import {sealPlan, serializePlan} from '../../../src/planfile/seal.js'
import {createPlan} from '../../../src/planner/plan.js'

const NOW = new Date('2025-02-01T00:00:00Z')
const options = {now: NOW, pricePerGbMonth: 0.1, ecrctlVersion: '0.0.0-test'}
const snapshot = (): LiveSnapshot => JSON.parse(readFileSync('examples/spaceport/live-state.json', 'utf8')) as LiveSnapshot
const seedRule = (snap: LiveSnapshot): LifecyclePolicyDoc =>
  JSON.parse(snap.repositories.find((r) => r.name === 'spaceport/sfm')!.lifecyclePolicy!) as LifecyclePolicyDoc

function withSpaceportLifecycle(desired: DesiredState, lifecycle: LifecyclePolicyDoc | undefined): DesiredState {
  return {
    ...desired,
    entries: desired.entries.map((entry) => {
      if (entry.pattern !== 'spaceport/*') return entry
      const {lifecycle: _dropped, ...rest} = entry
      return lifecycle ? {...rest, lifecycle} : rest
    }),
  }
}

function planError(desired: DesiredState, snap: LiveSnapshot): string {
  try {
    createPlan(desired, snap, options)
  } catch (error) {
    if (isEcrctlError(error)) return `${error.message}\n${error.format()}`
    throw error
  }
  throw new Error('expected createPlan to refuse the policy')
}

describe('the spaceport example and the seed\'s keep-10 rule (emulator: moto never runs policies)', () => {
  it('refuses the seed rule alone, naming the rule, the production image, when, and a fix', async () => {
    const desired = await loadDesiredState('desired-state')
    const snap = snapshot()
    const message = planError(withSpaceportLifecycle(desired, seedRule(snap)), snap)
    expect(message).toMatch(/would expire/)
    expect(message).toMatch(/rule 1 \("Keep only 10 most recent images"\)/)
    expect(message).toMatch(/once \d+ newer images? the rule selects (is|are) pushed/)
    expect(message).toMatch(/tagPatternList:/)
    expect(message).toMatch(/countNumber: 9999/)
  })

  it('names spaceport/sfm:real-colmap-fixed-final as an image the seed rule would expire', async () => {
    const desired = await loadDesiredState('desired-state')
    const snap = snapshot()
    // Only spaceport/sfm, so the refusal is about it.
    const only = {...snap, repositories: snap.repositories.filter((r) => r.name === 'spaceport/sfm')}
    const sfmEntries = {...desired, entries: desired.entries.filter((e) => globMatches(e.pattern, 'spaceport/sfm'))}
    const message = planError(withSpaceportLifecycle(sfmEntries, seedRule(snap)), only)
    expect(message).toMatch(/real-colmap-fixed-final/)
  })

  it('also refuses when lifecycle is left unmanaged: the live seed rule is what will run', async () => {
    const desired = await loadDesiredState('desired-state')
    const snap = snapshot()
    expect(planError(withSpaceportLifecycle(desired, undefined), snap)).toMatch(/live lifecycle policy of spaceport\/.* would expire/)
  })

  it('plans the bundled desired state: the fixed policy is put on each spaceport/* repository and survives the plan file', async () => {
    const desired = await loadDesiredState('desired-state')
    const snap = snapshot()
    const plan = createPlan(desired, snap, options)
    const puts = plan.actions.filter((action) => action.type === 'putLifecyclePolicy')
    expect(puts.map((action) => action.repository).sort()).toEqual(
      snap.repositories.filter((r) => r.name.startsWith('spaceport/')).map((r) => r.name).sort(),
    )
    for (const put of puts) {
      if (put.type !== 'putLifecyclePolicy') continue
      expect(put.before).toBe(canonicalPolicyText(snap.repositories.find((r) => r.name === put.repository)!.lifecyclePolicy))
      expect(JSON.parse(put.after).rules).toHaveLength(5)
    }
    expect(plan.summary.lifecyclePolicyChanges).toBe(puts.length)
    expect(plan.lifecycle?.map((report) => report.repository).sort()).toEqual(puts.map((action) => action.repository).sort())
    // The plan file's strict schema accepts the lifecycle report.
    const sealed = sealPlan(plan)
    expect(parsePlan(serializePlan(sealed), 'plan.json').lifecycle).toEqual(sealed.lifecycle)
  })
})
