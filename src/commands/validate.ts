import {Flags} from '@oclif/core'
import {EcrctlCommand} from './_shared/command-base.js'
import {plural} from '../util/words.js'

export interface ValidateResult {
  files: string[]
  entries: number
  keepRules: number
  sha256: string
}

export default class Validate extends EcrctlCommand {
  static override summary = 'Check desired-state files offline: schema, globs, durations, digests, lifecycle rules.'
  static override description =
    'Reads a desired-state file or a directory of *.yaml/*.yml files and reports every problem with file:line:column. ' +
    'Makes no AWS calls. Exit code 0 when valid, 1 otherwise.'
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate -f desired-state/prod.yaml']

  static override flags = {
    file: Flags.string({
      char: 'f',
      summary: 'Desired-state file, or directory of *.yaml/*.yml files.',
      default: 'desired-state/',
    }),
  }

  async run(): Promise<ValidateResult> {
    const {flags} = await this.parse(Validate)
    const {loadDesiredState} = await import('../desired/load.js')
    const desired = await loadDesiredState(flags.file)
    const result: ValidateResult = {
      files: desired.files,
      entries: desired.entries.length,
      keepRules: desired.entries.reduce((sum, entry) => sum + entry.keep.length, 0),
      sha256: desired.sha256,
    }
    this.log(
      `✓ ${plural(result.entries, 'repository entry', 'repository entries')}, ${plural(result.keepRules, 'keep rule')} in ${result.files.join(', ')}`,
    )
    return result
  }
}
