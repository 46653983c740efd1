import {Args, Flags} from '@oclif/core'
import {EcrctlCommand} from './_shared/command-base.js'
import {connectionFlags, connectionOptionsFromFlags} from './_shared/command-flags.js'
import type {ApplyReport} from '../model/apply-result.js'
import {writeAndFlush as write} from '../util/write-stream.js'

/**
 * `ecrctl apply PLAN`: executes exactly the reviewed plan. Refuses (exit 1, nothing changed) a
 * plan that is not intact, made for another registry, too large, or stale; asks for confirmation
 * in a terminal; deletes in bounded, re-checked batches; writes an audit log. See docs/apply.md.
 * The steps are the apply session (src/apply/session.ts); this wires its ports and prints the
 * result. The SDK and Ink are imported lazily so `--help` stays fast.
 */
export default class Apply extends EcrctlCommand {
  static override summary = 'Apply a saved plan: delete exactly the images it lists and change the lifecycle policies it lists.'
  static override description =
    'Re-reads every repository the plan touches and refuses, before changing anything, when the plan is tampered with, ' +
    'evaluated in the future, made for another account or region, deletes more than --max-deletions, made from another ' +
    'desired state than -f, or is stale (an image got a new tag, a kept index now references it, a policy changed, or the ' +
    'planner run again on the desired state at the current time would not make the action). Deletes by digest in batches of at most 100, indexes before their children. ' +
    'Applying the same plan again is safe: what is already done counts as done.\n\n' +
    'Exit codes: 0 everything applied or already done; 1 refused, cancelled, or any action failed.'
  static override examples = [
    '<%= config.bin %> apply plan.json',
    '<%= config.bin %> apply plan.json --auto-approve --format json',
    '<%= config.bin %> apply plan.json --auto-approve --skip-stale --max-deletions 500',
  ]

  static override args = {
    plan: Args.string({description: 'Plan file written by `ecrctl plan --out`.', required: true}),
  }

  static override flags = {
    'auto-approve': Flags.boolean({summary: 'Apply without asking (required without a terminal, e.g. in CI).'}),
    'skip-stale': Flags.boolean({summary: 'Leave stale actions alone and apply the rest, instead of refusing the whole plan.'}),
    'max-deletions': Flags.integer({summary: 'Refuse a plan that deletes more images than this.', min: 0}),
    format: Flags.string({summary: 'Output: text progress and summary, or a JSON result on stdout.', options: ['text', 'json'], default: 'text'}),
    log: Flags.string({summary: 'Audit log file (JSON lines, appended). Default: next to the plan, PLAN.apply-log.jsonl.', helpValue: 'FILE'}),
    file: Flags.string({
      char: 'f',
      summary: 'The desired state the plan was made from (default: desired-state/ when it exists); every action is re-derived from it.',
      helpValue: 'PATH',
    }),
    'require-desired-state': Flags.boolean({summary: 'Refuse to apply without the desired state at hand (only registry checks would be made).'}),
    ...connectionFlags,
  }

  async run(): Promise<ApplyReport> {
    const {args, flags} = await this.parse(Apply)
    const json = flags.format === 'json'
    const [{readPlanFile}, {runApplySession}, {openAuditLog, defaultAuditLogPath}, ui, {formatApplyEvent}] = await Promise.all([
      import('../planfile/index.js'),
      import('../apply/session.js'),
      import('../apply/audit-log.js'),
      import('../ui/terminal-ports.js'),
      import('../render/apply-progress.js'),
    ])
    const plan = await readPlanFile(args.plan)
    const desiredState = await (await import('../desired/load.js')).loadDesiredStateAtHand(flags.file)
    const [{createEcrClient}, {EcrApplyCalls}] = await Promise.all([import('../registry/client.js'), import('../registry/apply-calls.js')])
    const client = createEcrClient(connectionOptionsFromFlags(flags))
    try {
      const report = await runApplySession(
        {
          plan,
          planPath: args.plan,
          autoApprove: flags['auto-approve'],
          skipStale: flags['skip-stale'],
          maxDeletions: flags['max-deletions'],
          concurrency: flags.concurrency,
          ecrctlVersion: this.config.version,
          pid: process.pid,
          desiredState,
          requireDesiredState: flags['require-desired-state'],
        },
        {
          registry: new EcrApplyCalls(client),
          confirm: ui.terminalConfirm(),
          startProgress: async () =>
            json || !process.stdout.isTTY ? ui.lineProgress(json ? process.stderr : process.stdout, formatApplyEvent) : ui.liveProgress(),
          openAuditLog: () => openAuditLog(flags.log ?? defaultAuditLogPath(args.plan)),
          warn: (message) => process.stderr.write(`Warning: ${message}\n`),
        },
      )
      const {formatApplySummary} = await import('../render/apply-summary.js')
      await write(process.stdout, json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatApplySummary(report)}`)
      if (report.exitCode !== 0) this.exitQuietly(report.exitCode)
      return report
    } finally {
      client.destroy()
    }
  }
}
