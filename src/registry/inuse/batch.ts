/**
 * Batch in-use scanner: the newest N ACTIVE revisions of each job definition. A job definition
 * names images in several shapes (containerProperties, nodeProperties' node ranges with a
 * container, ECS or EKS properties, eksProperties' pod containers and init containers,
 * ecsProperties' task containers), and AWS adds shapes over time; so every `image` string anywhere
 * in the definition is a reference, found with its JSON path, and every environment value is text.
 */
import {BatchClient, DescribeJobDefinitionsCommand, type JobDefinition} from '@aws-sdk/client-batch'
import {DEFAULT_NEWEST_REVISIONS, type CandidateString} from '../../model/in-use.js'
import {createServiceClient, type ServiceConnectionOptions} from './clients.js'
import {CandidateList, SourceReader} from './reading.js'

export const DEFAULT_JOB_DEFINITION_REVISIONS = DEFAULT_NEWEST_REVISIONS

export interface BatchScanOptions {
  concurrency?: number
  /** Newest ACTIVE revisions read per job definition name; default 5. */
  jobDefinitionRevisions?: number
}

export function createBatchClient(options: ServiceConnectionOptions = {}): BatchClient {
  return createServiceClient('batch', BatchClient, options)
}

export async function scanBatch(client: BatchClient, options: BatchScanOptions = {}): Promise<CandidateString[]> {
  const reader = new SourceReader('batch', options.concurrency)
  const keep = options.jobDefinitionRevisions ?? DEFAULT_JOB_DEFINITION_REVISIONS
  const found = new CandidateList('batch')

  // No listing per name exists: the one paged listing of every ACTIVE revision is the cheapest read.
  const definitions = await reader.pages(
    'batch:DescribeJobDefinitions',
    'all ACTIVE job definitions',
    (nextToken) => client.send(new DescribeJobDefinitionsCommand({status: 'ACTIVE', maxResults: 100, nextToken})),
    (page) => ({items: page.jobDefinitions, next: page.nextToken}),
  )
  for (const definition of newestRevisions(definitions, keep)) {
    const resource = definition.jobDefinitionArn ?? `${definition.jobDefinitionName}:${definition.revision}`
    for (const {path, value, exact} of imageStrings(definition)) {
      if (exact) found.exact(value, resource, path)
      else found.text(value, resource, path)
    }
  }
  return found.sorted()
}

/** The newest `keep` revisions of each job definition name. */
export function newestRevisions(definitions: readonly JobDefinition[], keep: number): JobDefinition[] {
  const byName = new Map<string, JobDefinition[]>()
  for (const definition of definitions) {
    if (definition.status !== undefined && definition.status !== 'ACTIVE') continue
    const name = definition.jobDefinitionName ?? ''
    byName.set(name, [...(byName.get(name) ?? []), definition])
  }
  return [...byName.values()].flatMap((revisions) => revisions.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0)).slice(0, Math.max(0, keep)))
}

/** Properties of a job definition that hold what runs (tags, parameters and the like do not). */
const RUN_PROPERTIES = ['containerProperties', 'nodeProperties', 'eksProperties', 'ecsProperties'] as const

/**
 * Every `image` string (exact) and every environment value (`environment` / `env` lists of
 * `{name, value}`: text) under the run properties, with a path such as
 * `nodeProperties.nodeRangeProperties[1].container.image` or
 * `containerProperties.environment.IMAGE`.
 */
export function imageStrings(definition: JobDefinition): Array<{path: string; value: string; exact: boolean}> {
  const found: Array<{path: string; value: string; exact: boolean}> = []
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${path}[${index}]`))
      return
    }
    if (node === null || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      const at = `${path}.${key}`
      if (key === 'image' && typeof value === 'string') found.push({path: at, value, exact: true})
      else if ((key === 'environment' || key === 'env') && Array.isArray(value)) {
        for (const variable of value as Array<{name?: unknown; value?: unknown}>) {
          if (typeof variable?.value === 'string') found.push({path: `${at}.${String(variable.name ?? '')}`, value: variable.value, exact: false})
        }
      } else walk(value, at)
    }
  }
  for (const property of RUN_PROPERTIES) walk(definition[property], property)
  return found
}
