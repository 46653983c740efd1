import {Flags} from '@oclif/core'
import {EcrctlError} from '../errors.js'
import type {ScanDocument} from '../model/in-use.js'
import type {AwsInUseSource} from '../registry/inuse/clients.js'
import {EcrctlCommand} from './_shared/command-base.js'
import {connectionFlags, connectionOptionsFromFlags} from './_shared/command-flags.js'
import {writeAndFlush as write} from '../util/write-stream.js'

// Not imported from registry/inuse: that module loads the SDK, and parsing flags must not.
const AWS_SOURCES = ['batch', 'ecs', 'lambda', 'sagemaker', 'stepfunctions'] as const satisfies readonly AwsInUseSource[]

/** `--aws ecs,lambda` or `--aws all` → the sources, or a refusal naming the unknown one. */
export function parseAwsSources(text: string | undefined): AwsInUseSource[] {
  if (text === undefined) return []
  const names = text.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name.length > 0)
  if (names.length === 1 && names[0] === 'all') return [...AWS_SOURCES]
  const unknown = names.find((name) => !(AWS_SOURCES as readonly string[]).includes(name))
  if (unknown !== undefined || names.length === 0) {
    throw new EcrctlError(`--aws ${JSON.stringify(text)} names ${unknown === undefined ? 'no source' : `an unknown source "${unknown}"`}.`, {
      nextSteps: [`Pass all, or a comma-separated list of ${AWS_SOURCES.join(', ')}.`],
    })
  }
  return [...new Set(names)].sort() as AwsInUseSource[]
}

export default class Scan extends EcrctlCommand {
  static override summary = 'Find the images production uses (AWS services, Kubernetes, code) and write them as a scan file.'
  static override description =
    'Reads the given sources completely and records every ECR image reference with its evidence: the source, the resource ' +
    '(an ARN, namespace/pod, path:line) and the field. A central registry lists such files in `inUse.scans` to keep what ' +
    'other accounts, regions or clusters run. AWS and code scans match repository names of the ECR registry of the ' +
    'credentials’ account and region. --format text prints the references as a table: image, used by, where.'
  static override examples = [
    '<%= config.bin %> scan --aws all --out scans/prod-us-east-1.json',
    '<%= config.bin %> scan --kubernetes-context prod-eks --out scans/prod-eks.json',
    '<%= config.bin %> scan --code ../spaceport --include "**/*.py" --exclude "**/tests/**" --format text',
  ]

  static override flags = {
    aws: Flags.string({summary: 'AWS services to read in this account and region: all, or a comma-separated list of ecs, lambda, sagemaker, batch, stepfunctions.', helpValue: 'SOURCES'}),
    'kubernetes-context': Flags.string({summary: 'A kubeconfig context whose cluster is read live (pods and workload templates, all namespaces).', helpValue: 'CONTEXT'}),
    'kubernetes-pods': Flags.string({summary: 'A file `kubectl get pods -A -o json` (or workloads) wrote. Repeatable.', helpValue: 'FILE', multiple: true}),
    code: Flags.string({summary: 'A directory (or file) of code to search for image references. Repeatable.', helpValue: 'PATH', multiple: true}),
    include: Flags.string({summary: 'Only code files matching this path glob (e.g. "**/*.py"). Repeatable.', helpValue: 'GLOB', multiple: true}),
    exclude: Flags.string({summary: 'Skip code files matching this path glob (e.g. "**/tests/**"). Repeatable.', helpValue: 'GLOB', multiple: true}),
    out: Flags.string({char: 'o', summary: 'Write the scan file here (atomically; never through a symbolic link).', helpValue: 'FILE'}),
    format: Flags.string({summary: 'What to print: json (the scan file) or text (a table: image, used by, where).', options: ['json', 'text'], default: 'json'}),
    ...connectionFlags,
  }

  async run(): Promise<ScanDocument> {
    const {flags} = await this.parse(Scan)
    const code = await codeSources(flags.code ?? [], flags.include ?? [], flags.exclude ?? [])
    const {runScan, writeScanFile} = await import('../scan/run.js')
    const outcome = await runScan({
      aws: parseAwsSources(flags.aws),
      kubernetesContext: flags['kubernetes-context'],
      kubernetesFiles: flags['kubernetes-pods'] ?? [],
      code,
      connection: connectionOptionsFromFlags(flags),
      concurrency: flags.concurrency,
      ecrctlVersion: this.config.version,
    })
    const {document} = outcome
    if (flags.out) writeScanFile(flags.out, document)
    if (flags.format === 'text') {
      const {renderScanTable} = await import('../render/scan-table.js')
      await write(process.stdout, renderScanTable(document))
    } else if (!flags.out) {
      const {serializeScanDocument} = await import('../inuse/scan-document.js')
      await write(process.stdout, serializeScanDocument(document))
    }
    const skipped = outcome.code.skipped.length
    const notes = [
      flags.out ? `Wrote ${flags.out}: ${document.references.length} references from ${document.scope.sources.join(', ')}.` : undefined,
      code.length > 0 ? `Code: ${outcome.code.filesScanned} files searched${skipped > 0 ? `, ${skipped} skipped (${outcome.code.skipped.slice(0, 3).map((s) => `${s.path}: ${s.reason}`).join('; ')}${skipped > 3 ? '; …' : ''})` : ''}.` : undefined,
    ].filter((note) => note !== undefined)
    for (const note of notes) this.logToStderr(note)
    return document
  }
}

/** `--code` roots with the shared globs; a bad glob is refused with its fix before anything is read. */
async function codeSources(roots: readonly string[], include: string[], exclude: string[]) {
  if (roots.length === 0 && include.length + exclude.length > 0) throw new EcrctlError('--include and --exclude apply to --code, which was not given.', {nextSteps: ['Add --code PATH.']})
  const {pathGlobProblem} = await import('../util/path-glob.js')
  for (const [flag, globs] of [['--include', include], ['--exclude', exclude]] as const) {
    for (const glob of globs) {
      const problem = pathGlobProblem(glob)
      if (problem) throw new EcrctlError(`${flag} ${JSON.stringify(glob)} is not a usable path glob: ${problem}.`, {nextSteps: ['Write globs relative to the --code directory, e.g. "**/*.py" or "**/tests/**".']})
    }
  }
  // Evidence is `path:line` relative to the root; with several roots, the root is named in front.
  return roots.map((root) => ({root, include, exclude, ...(roots.length > 1 ? {label: root.replace(/\/+$/, '')} : {})}))
}
