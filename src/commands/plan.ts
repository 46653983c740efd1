import {Flags} from '@oclif/core'
import {EcrctlCommand} from './_shared/command-base.js'
import type {PlanDocument, UnsealedPlan} from '../model/plan.js'
import type {LiveSnapshot} from '../model/snapshot.js'
import type {DesiredState} from '../model/desired.js'
import {connectionFlags, connectionOptionsFromFlags, manifestsFlag, type ConnectionFlagValues} from './_shared/command-flags.js'
import {writeAndFlush as write, writePiecesAndFlush} from '../util/write-stream.js'

/**
 * `ecrctl plan`: desired state × live registry (or a saved snapshot) → a sealed plan, optionally
 * saved, rendered to stdout. Everything heavy (the AWS SDK, the planner, the renderers) is
 * imported lazily so `--help` and offline plans stay fast and never load the SDK.
 */
export default class Plan extends EcrctlCommand {
  static override summary = 'Compare the desired state with the registry and show (and save) the images that would be deleted.'
  static override description =
    'Reads the desired state (-f) and the live registry — or, with --live-state, a snapshot file and no AWS at all — ' +
    'and prints every decision with its reason. --out saves the plan for `ecrctl apply`.\n\n' +
    'Exit codes: 0 success, 1 error; with --detailed-exitcode: 0 no changes, 1 error, 2 changes present.'
  static override examples = [
    '<%= config.bin %> plan --live-state examples/spaceport/live-state.json --now 2025-03-01T00:00:00Z',
    '<%= config.bin %> plan --out plan.json',
    '<%= config.bin %> plan --format markdown --out plan.json > plan.md',
  ]

  static override flags = {
    file: Flags.string({char: 'f', summary: 'Desired-state file, or directory of *.yaml/*.yml files.', default: 'desired-state/'}),
    'live-state': Flags.string({
      summary: 'Plan offline from a snapshot file (`ecrctl snapshot --out`) instead of reading the registry.',
      helpValue: 'FILE',
    }),
    now: Flags.string({summary: 'Evaluation time, ISO-8601 with a zone (default: now). Ages and grace periods count from it.'}),
    out: Flags.string({char: 'o', summary: 'Save the plan to this file, for `ecrctl apply FILE`.', helpValue: 'FILE'}),
    format: Flags.string({summary: 'Output format.', options: ['text', 'markdown', 'json'], default: 'text'}),
    'price-per-gb-month': Flags.string({summary: 'Storage price in USD per GB-month, for the savings estimate.', default: '0.10'}),
    'detailed-exitcode': Flags.boolean({summary: 'Exit 0 when there are no changes, 2 when there are, 1 on error.'}),
    'no-color': Flags.boolean({summary: 'No ANSI colours (also: NO_COLOR, or when stdout is not a terminal).'}),
    manifests: manifestsFlag,
    ...connectionFlags,
  }

  async run(): Promise<PlanDocument> {
    const {flags} = await this.parse(Plan)
    const {parseEvaluationTime, parsePricePerGbMonth, futureEvaluationWarning} = await import('./_shared/plan-options.js')
    const now = parseEvaluationTime(flags.now)
    const pricePerGbMonth = parsePricePerGbMonth(flags['price-per-gb-month'])
    const future = futureEvaluationWarning(now, {live: flags['live-state'] === undefined})
    if (future) await write(process.stderr, `Warning: ${future}\n`)

    const unsealed = await makePlan(flags, {now, pricePerGbMonth, ecrctlVersion: this.config.version})
    const {sealPlan, writeSealedPlanFile} = await import('../planfile/index.js')
    // With --out, sealing and writing share one walk over the plan (each image stringified once).
    const plan = flags.out ? await writeSealedPlanFile(flags.out, unsealed) : sealPlan(unsealed)

    const {renderPlan, renderTextPieces} = await import('../render/index.js')
    const {shouldUseColor} = await import('../render/options.js')
    const format = flags.format as 'text' | 'markdown' | 'json'
    const color = format === 'text' && shouldUseColor({noColorFlag: flags['no-color'], env: process.env, isTTY: process.stdout.isTTY})
    if (format === 'text') await writePiecesAndFlush(process.stdout, renderTextPieces(plan, {color}))
    else await write(process.stdout, renderPlan(plan, format, {color}))

    // Notes for people go to stderr when stdout is a machine format someone may be piping.
    const notes = format === 'text' ? process.stdout : process.stderr
    if (format === 'json') {
      const {maxDeletionsWarning} = await import('../render/format.js')
      const warning = maxDeletionsWarning(plan)
      if (warning) await write(process.stderr, `Warning: ${warning}\n`)
    }
    if (flags.out) {
      await write(notes, `${format === 'text' ? '\n' : ''}Saved the plan to ${flags.out}. Apply it with: ${this.config.bin} apply ${flags.out}\n`)
    }

    if (flags['detailed-exitcode'] && plan.actions.length > 0) this.exitQuietly(2)
    return plan
  }
}

/**
 * Desired state × snapshot → plan (not yet sealed). A function of its own so the snapshot (the
 * largest object of a run: a million images) is garbage once the plan exists, before sealing.
 */
async function makePlan(
  flags: LiveReadFlags & {file: string; 'live-state'?: string},
  options: {now: Date; pricePerGbMonth: number; ecrctlVersion: string},
): Promise<UnsealedPlan> {
  const {loadDesiredState} = await import('../desired/load.js')
  const desired = await loadDesiredState(flags.file)
  const snapshot = flags['live-state']
    ? await (await import('../registry/snapshot-file.js')).readSnapshotFile(flags['live-state'])
    : await readLiveRegistry(desired, flags)
  const {createPlan} = await import('../planner/plan.js')
  return createPlan(desired, snapshot, options)
}

interface LiveReadFlags extends ConnectionFlagValues {
  concurrency: number
  manifests: string
}

async function readLiveRegistry(desired: DesiredState, flags: LiveReadFlags): Promise<LiveSnapshot> {
  const [{createEcrClient}, {readLiveSnapshot}, {isManaged}] = await Promise.all([
    import('../registry/client.js'),
    import('../registry/read.js'),
    import('../model/desired-entries.js'),
  ])
  const client = createEcrClient(connectionOptionsFromFlags(flags))
  try {
    return await readLiveSnapshot(client, {
      isManaged: (name) => isManaged(desired, name),
      concurrency: flags.concurrency,
      readManifests: flags.manifests as 'references' | 'all' | 'none',
    })
  } finally {
    client.destroy()
  }
}
