import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {isCanonical} from '../../../src/planfile/canonical-json.js'
import {planGoldenCase} from '../../golden/run-case.js'

const CASES = fileURLToPath(new URL('../../golden/cases/', import.meta.url))

// The plan file writer stringifies a million images natively only when the planner builds them
// with sorted keys; otherwise it still writes the right bytes, through a sorted copy of each (slow).
describe('the planner builds plan images with sorted keys', () => {
  for (const name of readdirSync(CASES).sort()) {
    it(`${name}: every action and kept image is canonical as built`, async () => {
      const {plan} = await planGoldenCase(join(CASES, name))
      const images = [...plan.actions.filter((action) => action.type === 'deleteImage'), ...plan.kept]
      expect(images.filter((image) => !isCanonical(image))).toEqual([])
    })
  }
})
