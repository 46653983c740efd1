import {Flags} from '@oclif/core'
import {EcrctlCommand} from '../_shared/command-base.js'
import {connectionOptionsFromFlags, timeoutFlag, type ConnectionFlagValues} from '../_shared/command-flags.js'
import type {LifecyclePreview} from '../../model/lifecycle-forecast.js'

/**
 * `ecrctl lifecycle preview`: what a repository's lifecycle policy (the desired one, else the live
 * one) does to its images now and soon, from ecrctl's offline evaluator (ECR's own preview API is
 * asynchronous and needs the policy to be uploaded first). Heavy modules load lazily.
 */
export default class LifecyclePreviewCommand extends EcrctlCommand {
  static override summary = "Show what a repository's lifecycle policy would expire or archive, now and soon."
  static override examples = [
    '<%= config.bin %> lifecycle preview --repository spaceport/sfm --live-state examples/spaceport/live-state.json --now 2025-02-01T00:00:00Z',
  ]

  static override flags = {
    file: Flags.string({char: 'f', summary: 'Desired-state file, or directory of *.yaml/*.yml files.', default: 'desired-state/'}),
    repository: Flags.string({char: 'r', summary: 'The repository to preview.', required: true}),
    'live-state': Flags.string({summary: 'Read the live state from this snapshot file instead of AWS.'}),
    now: Flags.string({summary: 'Evaluation time (ISO-8601); default: now.'}),
    format: Flags.string({summary: 'Output format.', options: ['text', 'json'], default: 'text'}),
    region: Flags.string({summary: 'AWS Region (default: the SDK chain: AWS_REGION, profile).'}),
    profile: Flags.string({summary: 'Shared-config profile for credentials and Region.'}),
    'endpoint-url': Flags.string({summary: 'ECR endpoint, e.g. an emulator (also AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL).'}),
    timeout: timeoutFlag,
  }

  async run(): Promise<LifecyclePreview> {
    const {flags} = await this.parse(LifecyclePreviewCommand)
    const {parseEvaluationTime} = await import('../_shared/plan-options.js')
    const now = parseEvaluationTime(flags.now)
    const {loadDesiredState} = await import('../../desired/load.js')
    const desired = await loadDesiredState(flags.file)
    const snapshot = flags['live-state']
      ? await (await import('../../registry/snapshot-file.js')).readSnapshotFile(flags['live-state'])
      : await this.readRepository(flags.repository, flags)
    const [{previewLifecycle}, {renderLifecyclePreview}] = await Promise.all([
      import('../../planner/lifecycle-preview.js'),
      import('../../render/lifecycle-preview.js'),
    ])
    const preview = previewLifecycle(desired, snapshot, flags.repository, now)
    process.stdout.write(flags.format === 'json' ? `${JSON.stringify(preview, null, 2)}\n` : renderLifecyclePreview(preview))
    return preview
  }

  private async readRepository(repository: string, flags: ConnectionFlagValues) {
    const [{createEcrClient}, {readLiveSnapshot}] = await Promise.all([import('../../registry/client.js'), import('../../registry/read.js')])
    const client = createEcrClient(connectionOptionsFromFlags(flags))
    try {
      return await readLiveSnapshot(client, {isManaged: (name) => name === repository, concurrency: 1})
    } finally {
      client.destroy()
    }
  }
}
