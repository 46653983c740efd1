/**
 * Collecting in-use evidence: runs the configured sources (AWS services, a live Kubernetes
 * context, kubectl JSON files, code directories) at the same time and turns what they read into
 * image references. Each reader (src/registry/inuse, src/kubernetes, src/inuse/code-files) is
 * imported only when its source is asked for, so the AWS SDK and the Kubernetes client load only
 * when used.
 *
 * Fail closed: every source settles, then the error of the first failing one in a fixed order
 * (AWS, Kubernetes contexts, Kubernetes files, code) is thrown, so a run that fails twice says
 * the same. An unread source could hold the reference that keeps a production image.
 */
import {readFile} from 'node:fs/promises'
import {EcrctlError} from '../errors.js'
import type {CodeSource, SkippedFile} from '../inuse/code-files.js'
import {kubernetesCandidates} from '../inuse/kubernetes-file.js'
import {extractReferences, type RepositoryNames} from '../inuse/references.js'
import type {CandidateString, ImageReference, InUseSource} from '../model/in-use.js'
import type {ConnectionOptions} from '../registry/client.js'
import type {AwsInUseSource, AwsScanSettings} from '../registry/inuse/index.js'

export interface InUseSourceSet {
  aws?: {sources: readonly AwsInUseSource[]; connection: ConnectionOptions; settings?: AwsScanSettings}
  /** kubeconfig contexts, read live. */
  kubernetesContexts?: readonly string[]
  /** Files `kubectl get pods -A -o json` (or workloads) wrote. */
  kubernetesFiles?: readonly string[]
  code?: readonly CodeSource[]
  /** How long one Kubernetes request may take (AWS clients take theirs from the connection). */
  timeoutMs?: number
}

export interface CollectedEvidence {
  /** In source order; not yet de-duplicated (createScanDocument and resolveInUse do that). */
  references: ImageReference[]
  /** The sources that were read, sorted and unique. */
  sources: InUseSource[]
  code: {filesScanned: number; bytesScanned: number; skipped: SkippedFile[]}
}

/** Every reference the sources hold, matching repository names in `names` (rule 2) and full ECR URIs of any registry (rule 1). */
export async function collectReferences(set: InUseSourceSet, names: RepositoryNames): Promise<CollectedEvidence> {
  const fromCandidates = (candidates: readonly CandidateString[]) => candidates.flatMap((candidate) => extractReferences(candidate, names))
  const code: CollectedEvidence['code'] = {filesScanned: 0, bytesScanned: 0, skipped: []}
  const work: Array<Promise<ImageReference[]>> = []
  const sources = new Set<InUseSource>()

  if (set.aws && set.aws.sources.length > 0) {
    for (const source of set.aws.sources) sources.add(source)
    const {aws} = set
    work.push(import('../registry/inuse/index.js').then(({scanAws}) => scanAws(aws.sources, aws.connection, aws.settings)).then(fromCandidates))
  }
  for (const context of set.kubernetesContexts ?? []) {
    sources.add('kubernetes')
    work.push(import('../kubernetes/live.js').then(({readKubernetesContext}) => readKubernetesContext({context, timeoutMs: set.timeoutMs})).then(fromCandidates))
  }
  for (const file of set.kubernetesFiles ?? []) {
    sources.add('kubernetes')
    work.push(readKubernetesFile(file).then(fromCandidates))
  }
  for (const source of set.code ?? []) {
    sources.add('code')
    work.push(
      import('../inuse/code-files.js').then(async ({scanCodeSource}) => {
        const result = await scanCodeSource(source, names)
        code.filesScanned += result.filesScanned
        code.bytesScanned += result.bytesScanned
        code.skipped.push(...result.skipped.map((skipped) => (source.label ? {...skipped, path: `${source.label}/${skipped.path}`} : skipped)))
        return result.references
      }),
    )
  }

  const results = await Promise.allSettled(work)
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) throw failed.reason
  return {
    references: results.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])),
    sources: [...sources].sort(),
    code,
  }
}

async function readKubernetesFile(file: string): Promise<CandidateString[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new EcrctlError(`Cannot read the Kubernetes objects file ${file}${code ? ` (${code})` : ''}.`, {
      detail: 'A configured in-use source that cannot be read stops the scan: it could hold the reference that keeps a production image.',
      nextSteps: [`Check the path, or write it with \`kubectl get pods -A -o json > ${file}\`.`],
      cause: error,
    })
  }
  return kubernetesCandidates(text, file)
}
