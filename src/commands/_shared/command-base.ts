import {Command} from '@oclif/core'
import {isEcrctlError} from '../../errors.js'
import {PlanRefusedError} from '../../model/plan-refusal.js'
import {printableLines} from '../../util/printable.js'
import {redactSecrets} from '../../util/redact.js'

/**
 * Base of every ecrctl command: one place that turns an EcrctlError into a one-paragraph message
 * on stderr and its exit code. Commands stay thin: parse flags, call the core, render, exit.
 */
export abstract class EcrctlCommand extends Command {
  protected override async catch(error: Error & {code?: string; oclif?: {exit?: number}}): Promise<unknown> {
    if (isEcrctlError(error)) {
      // A refused plan also says what the rest of it would do (src/render/refusal.ts).
      const shown = error instanceof PlanRefusedError ? (await import('../../render/refusal.js')).withRestOfPlan(error) : error
      // Messages quote file content and registry answers: no control character reaches the terminal.
      process.stderr.write(`Error: ${printableLines(redactSecrets(shown.format()))}\n`)
      this.exit(error.exitCode)
    }
    // oclif exits 2 on a usage error (unknown or repeated flag), but `plan --detailed-exitcode`
    // uses 2 for "changes present": a CI script would read a typo as a plan. Every error is 1.
    if (error.code !== 'EEXIT' && error.oclif?.exit === 2) error.oclif.exit = 1
    // oclif prints these itself (e.g. `--endpoint-url` quoted back, or a bug's stack): no credentials.
    if (error.code !== 'EEXIT') {
      error.message = redactSecrets(error.message)
      if (error.stack) error.stack = redactSecrets(error.stack)
    }
    // oclif's own parse errors (unknown flag, missing arg) already read well.
    return super.catch(error)
  }

  /** Exit with a code without oclif printing anything (e.g. --detailed-exitcode 2). */
  protected exitQuietly(code: number): never {
    this.exit(code)
  }
}
