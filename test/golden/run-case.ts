/**
 * Plans one golden case folder in-process, exactly as `ecrctl plan --live-state … --now …` does.
 * args.json: {now, pricePerGbMonth?, desiredState?, liveState?}. Without the two paths a case plans
 * its own desired-state/ and live-state.json; with them it plans shipped inputs (the bundled
 * spaceport example), paths relative to the repository root, so that example cannot drift.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadDesiredState} from '../../src/desired/load.js'
import type {PlanDocument} from '../../src/model/plan.js'
import {createPlan} from '../../src/planner/plan.js'
import {sealPlan} from '../../src/planfile/seal.js'
import {parsePlanArgs} from '../../src/commands/_shared/plan-options.js'
import {readSnapshotFile} from '../../src/registry/snapshot-file.js'
import {renderJson} from '../../src/render/json.js'
import {renderMarkdown} from '../../src/render/markdown.js'
import {renderText} from '../../src/render/text.js'

/** Fixed so that releasing a new ecrctl version does not rewrite every golden plan. */
export const GOLDEN_ECRCTL_VERSION = '0.0.0-golden'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface CaseArgs {
  now: string
  pricePerGbMonth?: number
  desiredState?: string
  liveState?: string
}

export function readCaseArgs(caseDir: string): CaseArgs {
  return JSON.parse(readFileSync(join(caseDir, 'args.json'), 'utf8')) as CaseArgs
}

export async function planGoldenCase(caseDir: string): Promise<{plan: PlanDocument; outputs: Record<string, string>}> {
  const args = readCaseArgs(caseDir)
  const {now, pricePerGbMonth} = parsePlanArgs({now: args.now, pricePerGbMonth: args.pricePerGbMonth?.toString()})
  const desired = args.desiredState
    ? await loadDesiredState(args.desiredState, {cwd: REPO_ROOT})
    : await loadDesiredState('desired-state', {cwd: caseDir})
  const snapshot = await readSnapshotFile(args.liveState ? join(REPO_ROOT, args.liveState) : join(caseDir, 'live-state.json'))
  const plan = sealPlan(createPlan(desired, snapshot, {now, pricePerGbMonth, ecrctlVersion: GOLDEN_ECRCTL_VERSION}))
  return {
    plan,
    outputs: {
      'plan.json': renderJson(plan),
      'plan.txt': renderText(plan, {color: false}),
      'plan.md': renderMarkdown(plan),
    },
  }
}
