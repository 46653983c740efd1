import {mkdtemp, readFile} from 'node:fs/promises'
import {readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import type {UnsealedPlan} from '../../../src/model/plan.js'
import {readPlanFile} from '../../../src/planfile/read.js'
import {sealPlan, serializePlan} from '../../../src/planfile/seal.js'
import {writeSealedPlanFile} from '../../../src/planfile/write.js'
import {planGoldenCase} from '../../golden/run-case.js'
import {buildPlan, deleteImage, digestOf, keptImage} from './plan-builders.js'

const CASES = fileURLToPath(new URL('../../golden/cases/', import.meta.url))

/** writeSealedPlanFile must be exactly sealPlan + writePlanFile, only faster. */
async function expectSameAsSealThenWrite(plan: UnsealedPlan): Promise<void> {
  const path = join(await mkdtemp(join(tmpdir(), 'ecrctl-sealed-')), 'plan.json')
  const sealed = sealPlan(plan)
  const returned = await writeSealedPlanFile(path, plan)
  expect(returned.checksum).toBe(sealed.checksum)
  expect(returned).toEqual(sealed)
  const text = await readFile(path, 'utf8')
  expect(text).toBe(serializePlan(sealed))
  expect((await readPlanFile(path)).checksum).toBe(sealed.checksum)
}

describe('writeSealedPlanFile (seal and write in one walk)', () => {
  for (const name of readdirSync(CASES).sort()) {
    it(`golden case ${name}: same checksum and bytes as sealPlan then writePlanFile`, async () => {
      const {plan} = await planGoldenCase(join(CASES, name))
      const {checksum: _sealed, ...unsealed} = plan
      await expectSameAsSealThenWrite(unsealed)
    })
  }

  it('a plan of several megabytes with non-ASCII text: the checksum lands at its byte offset after many flushes', async () => {
    const actions = Array.from({length: 6000}, (_, index) =>
      deleteImage({repository: `team/ré-${index % 7}`, name: `image ${index}`, tags: [`v${index}`], reasons: [{code: 'manifestUnreadable', problem: `ünïcode problem ≈ ${'x'.repeat(300)}`, relatedDigest: digestOf(`image ${index + 1}`), unreadableCount: 1}]}),
    )
    const kept = Array.from({length: 3000}, (_, index) => keptImage({repository: `team/ré-${index % 7}`, name: `kept ${index}`, tags: [`k${index}`]}))
    const plan = buildPlan({actions, kept, unmanaged: ['ünmanaged']})
    await expectSameAsSealThenWrite(plan)
  }, 30_000)

  it('writes keys in sorted order whatever order the plan object has them in', async () => {
    const plan = buildPlan({actions: [deleteImage({repository: 'r', tags: ['a']})], kept: [keptImage({repository: 'r', tags: ['b']})]})
    const reversed = Object.fromEntries(Object.entries(plan).reverse()) as unknown as UnsealedPlan
    await expectSameAsSealThenWrite(reversed)
  })
})
