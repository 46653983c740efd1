import {Args, Flags} from '@oclif/core'
import {EcrctlCommand} from './_shared/command-base.js'
import type {PlanDocument} from '../model/plan.js'
import {writeAndFlush} from '../util/write-stream.js'

/** `ecrctl show plan.json`: render a saved plan after verifying it exactly as apply does. */
export default class Show extends EcrctlCommand {
  static override summary = 'Render a saved plan (verifying its checksum and format first).'
  static override description =
    'Reads a plan written by `ecrctl plan --out` and prints it as text, markdown (for a pull-request comment) or JSON. ' +
    'A plan that is not a plan, is truncated, was edited or comes from a newer ecrctl is refused (exit 1). Makes no AWS calls.'
  static override examples = ['<%= config.bin %> show plan.json', '<%= config.bin %> show plan.json --format markdown > plan.md']

  static override args = {
    file: Args.string({description: 'The plan file.', required: true}),
  }

  static override flags = {
    format: Flags.string({summary: 'Output format.', options: ['text', 'markdown', 'json'], default: 'text'}),
    'no-color': Flags.boolean({summary: 'No ANSI colours (also: NO_COLOR, or when stdout is not a terminal).'}),
  }

  async run(): Promise<PlanDocument> {
    const {args, flags} = await this.parse(Show)
    const {readPlanFile} = await import('../planfile/read.js')
    const plan = await readPlanFile(args.file)
    const {renderPlan} = await import('../render/index.js')
    const {shouldUseColor} = await import('../render/options.js')
    const format = flags.format as 'text' | 'markdown' | 'json'
    const color = format === 'text' && shouldUseColor({noColorFlag: flags['no-color'], env: process.env, isTTY: process.stdout.isTTY})
    await writeAndFlush(process.stdout, renderPlan(plan, format, {color}))
    return plan
  }
}
