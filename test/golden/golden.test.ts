/**
 * Golden plan cases: one folder per case under cases/, holding
 *   desired-state/*.yaml, live-state.json, args.json ({now, pricePerGbMonth?, desiredState?, liveState?}),
 *   expected/plan.json, expected/plan.txt, expected/plan.md
 * Each case is planned in-process (./run-case.ts) exactly as `ecrctl plan --live-state … --now …`
 * does, and all three outputs must match byte for byte.
 *
 * UPDATE_GOLDEN=1 npx vitest run test/golden   rewrites expected/ — read every diff before committing.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {parsePlan} from '../../src/planfile/read.js'
import {planGoldenCase} from './run-case.js'

const casesDir = fileURLToPath(new URL('./cases/', import.meta.url))
const update = process.env.UPDATE_GOLDEN === '1'

const cases = readdirSync(casesDir, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

describe('golden plan cases', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0))

  for (const name of cases) {
    it(name, async () => {
      const caseDir = join(casesDir, name)
      const {plan, outputs} = await planGoldenCase(caseDir)
      const expectedDir = join(caseDir, 'expected')
      if (update) {
        await mkdir(expectedDir, {recursive: true})
        for (const [file, text] of Object.entries(outputs)) await writeFile(join(expectedDir, file), text)
      }
      for (const [file, text] of Object.entries(outputs)) {
        const path = join(expectedDir, file)
        if (!existsSync(path)) throw new Error(`${name}: missing expected/${file}; run UPDATE_GOLDEN=1 npx vitest run test/golden`)
        expect(text, `${name}/expected/${file}`).toBe(readFileSync(path, 'utf8'))
      }
      // The expected plan is a valid, untampered plan file that apply would accept as input.
      expect(parsePlan(readFileSync(join(expectedDir, 'plan.json'), 'utf8'), `${name}/expected/plan.json`)).toEqual(plan)
    })
  }
})
