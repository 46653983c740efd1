/**
 * `ecrctl scan` as a use case: which registry and repository names to match against, the
 * sources to read, and the scan file that results. The command only parses flags and prints.
 *
 * Repository names: rule 2 of docs/in-use.md (`spaceport/sfm:v1` in code, an unqualified image)
 * needs the names of the registry the scan is about. They come from the ECR registry of the
 * credentials' account and region whenever AWS or code is scanned; a Kubernetes-only scan calls
 * no AWS API and records what names its registry (full ECR URIs, which is what clusters pull).
 */
import {EcrctlError} from '../errors.js'
import type {CodeSource} from '../inuse/code-files.js'
import {repositoryNames} from '../inuse/references.js'
import {createScanDocument, serializeScanDocument} from '../inuse/scan-document.js'
import type {ScanDocument} from '../model/in-use.js'
import type {ConnectionOptions} from '../registry/client.js'
import type {AwsInUseSource} from '../registry/inuse/index.js'
import {writeFileAtomically} from '../document/write.js'
import {collectReferences, type CollectedEvidence} from './collect.js'

export interface ScanRequest {
  aws: readonly AwsInUseSource[]
  kubernetesContext?: string
  kubernetesFiles: readonly string[]
  code: readonly CodeSource[]
  connection: ConnectionOptions
  /** AWS calls in flight per source. */
  concurrency?: number
  ecrctlVersion: string
  clock?: () => Date
}

export interface ScanOutcome {
  document: ScanDocument
  code: CollectedEvidence['code']
  /** The repository names matched by name (rule 2); empty for a Kubernetes-only scan. */
  repositoryNames: number
}

export async function runScan(request: ScanRequest): Promise<ScanOutcome> {
  if (request.aws.length === 0 && !request.kubernetesContext && request.kubernetesFiles.length === 0 && request.code.length === 0) {
    throw new EcrctlError('Nothing to scan.', {
      nextSteps: ['Pass at least one source: --aws all (or e.g. --aws ecs,lambda), --kubernetes-context CONTEXT, --kubernetes-pods FILE, or --code PATH.'],
    })
  }
  // The scan is as old as its first read: what it saw can only have changed since.
  const scannedAt = (request.clock ?? (() => new Date()))()
  const registry = request.aws.length > 0 || request.code.length > 0 ? await readRegistry(request.connection) : undefined
  const names = repositoryNames(registry?.names ?? [])
  const collected = await collectReferences(
    {
      aws: {sources: request.aws, connection: request.connection, settings: {concurrency: request.concurrency}},
      kubernetesContexts: request.kubernetesContext ? [request.kubernetesContext] : [],
      kubernetesFiles: request.kubernetesFiles,
      code: request.code,
      timeoutMs: request.connection.timeoutMs,
    },
    names,
  )
  const document = createScanDocument({
    ecrctlVersion: request.ecrctlVersion,
    scannedAt,
    scope: {
      ...(registry ? {accountId: registry.accountId, region: registry.region} : {}),
      ...(request.kubernetesContext ? {cluster: request.kubernetesContext} : {}),
      sources: collected.sources,
    },
    references: collected.references,
  })
  return {document, code: collected.code, repositoryNames: names.names.size}
}

async function readRegistry(connection: ConnectionOptions): Promise<{accountId: string; region: string; names: string[]}> {
  const [{createEcrClient}, {readRegistryIdentity, listRepositoryNames}] = await Promise.all([import('../registry/client.js'), import('../registry/read.js')])
  const client = createEcrClient(connection)
  try {
    const [identity, names] = await Promise.all([readRegistryIdentity(client), listRepositoryNames(client)])
    return {...identity, names}
  } finally {
    client.destroy()
  }
}

/** Writes the scan file atomically, never through a symbolic link (src/document). */
export function writeScanFile(path: string, document: ScanDocument): void {
  writeFileAtomically(path, 'scan', (file) => file.write(serializeScanDocument(document)))
}
