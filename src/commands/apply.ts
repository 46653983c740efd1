import {Args, Flags} from '@oclif/core'
import {EcrctlCommand} from '../command-base.js'
import {connectionFlags, connectionOptionsFromFlags} from '../command-flags.js'
import {EcrctlError} from '../errors.js'
import type {ApplyEvent} from '../apply/events.js'
import type {ApplyReport} from '../apply/report.js'
import type {RepositoryChangeSummary} from '../apply/confirm.js'
import {writeAndFlush as write} from '../util/write-stream.js'

/**
 * `ecrctl apply PLAN`: executes exactly the reviewed plan. Refuses (exit 1, nothing changed) a
 * plan that is not intact, made for another registry, too large, or stale; asks for confirmation
 * in a terminal; deletes in bounded, re-checked batches; writes an audit log. See docs/apply.md.
 * The SDK and Ink are imported lazily so `--help` stays fast.
 */
export default class Apply extends EcrctlCommand {
  static override summary = 'Apply a saved plan: delete exactly the images it lists and change the lifecycle policies it lists.'
  static override description =
    'Re-reads every repository the plan touches and refuses, before changing anything, when the plan is tampered with, ' +
    'made for another account or region, deletes more than --max-deletions, or is stale (an image got a new tag, a kept ' +
    'index now references it, a policy changed). Deletes by digest in batches of at most 100, indexes before their children. ' +
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
    ...connectionFlags,
  }

  async run(): Promise<ApplyReport> {
    const {args, flags} = await this.parse(Apply)
    const [{readPlanFile}, pre, {canonicalPolicyText}, {mapBounded}] = await Promise.all([
      import('../planfile/index.js'),
      import('../apply/preconditions.js'),
      import('../lifecycle/canonical.js'),
      import('../apply/concurrency.js'),
    ])
    const plan = await readPlanFile(args.plan)
    pre.checkDeletionLimit(plan, flags['max-deletions'])

    const [{createEcrClient}, {readRegistryIdentity}, {EcrApplyCalls, readTouchedRepository}] = await Promise.all([
      import('../registry/client.js'),
      import('../registry/read.js'),
      import('../registry/apply-calls.js'),
    ])
    const client = createEcrClient(connectionOptionsFromFlags(flags))
    const {openAuditLog, defaultAuditLogPath} = await import('../apply/audit-log.js')
    let auditLog: ReturnType<typeof openAuditLog> | undefined
    try {
      const identity = await readRegistryIdentity(client)
      pre.checkRegistryIdentity(plan, identity)

      auditLog = openAuditLog(flags.log ?? defaultAuditLogPath(args.plan))
      auditLog.write({event: 'applyStarted', plan: args.plan, planChecksum: plan.checksum, registry: identity, ecrctlVersion: this.config.version, pid: process.pid})

      const repositories = pre.touchedRepositories(plan)
      const states = await mapBounded(repositories, flags.concurrency, (name) => readTouchedRepository(client, name))
      const live = new Map(states.map((state) => [state.repository, state]))
      const checks = pre.checkActions(plan, live, canonicalPolicyText)

      const stale = pre.staleRefusal(checks)
      if (stale && !flags['skip-stale']) {
        auditLog.write({event: 'applyRefused', reason: 'stale', stale: checks.filter((c) => c.status === 'stale').map((c) => ({action: pre.describeAction(c.action), why: c.why}))})
        throw stale
      }

      const {decideConfirmation, summarizePendingWork} = await import('../apply/confirm.js')
      const pending = checks.filter((check) => check.status === 'pending')
      if (pending.length > 0) {
        const decision = decideConfirmation({
          autoApprove: flags['auto-approve'],
          interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
          accountId: identity.accountId,
          pendingDeletions: pending.filter((check) => check.action.type === 'deleteImage').length,
        })
        if (decision.kind === 'refuse') {
          auditLog.write({event: 'applyRefused', reason: 'notConfirmed'})
          throw decision.error
        }
        if (decision.kind === 'prompt') {
          const confirmed = await promptInTerminal(identity, summarizePendingWork(checks), decision.expectedAnswer)
          if (!confirmed) {
            auditLog.write({event: 'applyRefused', reason: 'cancelled'})
            throw new EcrctlError('Apply cancelled; nothing was changed.', {kind: 'refused'})
          }
        }
      }

      const json = flags.format === 'json'
      const progress = await startProgress(json ? 'plain-stderr' : process.stdout.isTTY ? 'ink' : 'plain-stdout')
      const log = auditLog
      const {executePlan} = await import('../apply/execute.js')
      const result = await executePlan(checks, live, new EcrApplyCalls(client), {
        concurrency: flags.concurrency,
        canonicalPolicy: canonicalPolicyText,
        onEvent: (event) => {
          log.recordEvent(event)
          progress.onEvent(event)
        },
      })
      await progress.finish()

      const {buildApplyReport, formatApplySummary} = await import('../apply/report.js')
      const report = buildApplyReport(result, {
        plan: args.plan,
        planChecksum: plan.checksum,
        registry: identity,
        auditLog: log.path,
        skipStale: flags['skip-stale'],
      })
      if (result.totals.imagesDeleted > 0) {
        // Re-read what was touched and prove every remaining multi-arch image is still whole.
        const {verifyPullability} = await import('../apply/verify.js')
        const after = await mapBounded(repositories, flags.concurrency, (name) => readTouchedRepository(client, name))
        report.pullability = verifyPullability(live, after)
        log.write({event: 'pullabilityCheck', ...report.pullability})
        if (report.pullability.broken.some((index) => index.causedByApply)) report.exitCode = 1
      }
      log.write({event: 'applyFinished', exitCode: report.exitCode, totals: report.totals})
      await write(process.stdout, json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatApplySummary(report)}`)
      if (report.exitCode !== 0) this.exitQuietly(report.exitCode)
      return report
    } finally {
      auditLog?.close()
      client.destroy()
    }
  }
}

async function promptInTerminal(
  registry: {accountId: string; region: string},
  rows: RepositoryChangeSummary[],
  expectedAnswer: string,
): Promise<boolean> {
  const [{render}, {createElement}, {ConfirmApply}] = await Promise.all([import('ink'), import('react'), import('../ui/ConfirmApply.js')])
  return new Promise<boolean>((resolve) => {
    const instance = render(
      createElement(ConfirmApply, {
        registry,
        rows,
        expectedAnswer,
        onDecision: (confirmed: boolean) => {
          // Let Ink draw the final frame ("confirmed"/"cancelled") before leaving.
          setTimeout(() => {
            instance.unmount()
            resolve(confirmed)
          }, 0)
        },
      }),
      {exitOnCtrlC: false},
    )
  })
}

interface ProgressSink {
  onEvent(event: ApplyEvent): void
  finish(): Promise<void>
}

async function startProgress(mode: 'ink' | 'plain-stdout' | 'plain-stderr'): Promise<ProgressSink> {
  if (mode !== 'ink') {
    const {formatApplyEvent} = await import('../ui/plain-progress.js')
    const stream = mode === 'plain-stdout' ? process.stdout : process.stderr
    return {
      onEvent(event) {
        const line = formatApplyEvent(event)
        if (line) stream.write(`${line}\n`)
      },
      async finish() {},
    }
  }
  const [{render}, {createElement}, {ApplyProgress}, {reduceProgress}] = await Promise.all([
    import('ink'),
    import('react'),
    import('../ui/ApplyProgress.js'),
    import('../ui/progress-state.js'),
  ])
  let state: import('../ui/progress-state.js').ProgressState = []
  const instance = render(createElement(ApplyProgress, {progress: state}), {exitOnCtrlC: false, patchConsole: false})
  return {
    onEvent(event) {
      state = reduceProgress(state, event)
      instance.rerender(createElement(ApplyProgress, {progress: state}))
    },
    async finish() {
      instance.unmount()
    },
  }
}
