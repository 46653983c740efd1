/**
 * The AWS in-use scanners behind one call: `scanAws(['ecs', 'lambda'], connection, settings)`
 * reads each source completely and returns every candidate string, sorted. Each scanner module
 * (and its SDK client) is imported only when its source is asked for.
 *
 * Fail closed: if any source cannot be read completely, scanAws throws the error of the first
 * failing source in source order (the same error on every run), after every source has settled.
 */
import type {CandidateString} from '../../model/in-use.js'
import type {AwsInUseSource, ServiceConnectionOptions} from './clients.js'
import {resolveRegion} from '../errors.js'
import {sortCandidates} from './reading.js'

export {AWS_IN_USE_SOURCES, serviceEndpoint, serviceClientConfig, type AwsInUseSource, type ServiceConnectionOptions} from './clients.js'
export {IAM_READ_PERMISSIONS, inUseReadPolicy} from './permissions.js'

export interface AwsScanSettings {
  /** API calls in flight per source; default 8. */
  concurrency?: number
  ecs?: {taskDefinitionRevisions?: number}
  lambda?: {versions?: number}
  batch?: {jobDefinitionRevisions?: number}
  stepfunctions?: {versions?: number}
  /** Called with each client before it is used (benchmarks count its calls here). */
  onClient?: (source: AwsInUseSource, client: {middlewareStack: unknown}) => void
}

interface Closable {
  destroy(): void
  config: {region: () => Promise<string>}
}

/** Runs one source's scanner with a client of its own, destroyed when the scan ends. */
async function withClient<C extends Closable>(
  source: AwsInUseSource,
  client: C,
  settings: AwsScanSettings,
  scan: (client: C) => Promise<CandidateString[]>,
): Promise<CandidateString[]> {
  try {
    // A missing region is one error for the whole run, said where the region is resolved.
    await resolveRegion(() => client.config.region())
    settings.onClient?.(source, client as unknown as {middlewareStack: unknown})
    return await scan(client)
  } finally {
    client.destroy()
  }
}

export async function scanAwsSource(source: AwsInUseSource, connection: ServiceConnectionOptions, settings: AwsScanSettings = {}): Promise<CandidateString[]> {
  const concurrency = settings.concurrency
  switch (source) {
    case 'ecs': {
      const {createEcsClient, scanEcs} = await import('./ecs.js')
      return withClient(source, createEcsClient(connection), settings, (client) => scanEcs(client, {concurrency, ...settings.ecs}))
    }
    case 'lambda': {
      const {createLambdaClient, scanLambda} = await import('./lambda.js')
      return withClient(source, createLambdaClient(connection), settings, (client) => scanLambda(client, {concurrency, ...settings.lambda}))
    }
    case 'sagemaker': {
      const {createSageMakerClient, scanSageMaker} = await import('./sagemaker.js')
      return withClient(source, createSageMakerClient(connection), settings, (client) => scanSageMaker(client, {concurrency}))
    }
    case 'batch': {
      const {createBatchClient, scanBatch} = await import('./batch.js')
      return withClient(source, createBatchClient(connection), settings, (client) => scanBatch(client, {concurrency, ...settings.batch}))
    }
    case 'stepfunctions': {
      const {createStepFunctionsClient, scanStepFunctions} = await import('./stepfunctions.js')
      return withClient(source, createStepFunctionsClient(connection), settings, (client) => scanStepFunctions(client, {concurrency, ...settings.stepfunctions}))
    }
  }
}

/** Every candidate string of the given sources (read at the same time), sorted. */
export async function scanAws(sources: readonly AwsInUseSource[], connection: ServiceConnectionOptions, settings: AwsScanSettings = {}): Promise<CandidateString[]> {
  const ordered = [...new Set(sources)].sort()
  const results = await Promise.allSettled(ordered.map((source) => scanAwsSource(source, connection, settings)))
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) throw failed.reason
  return sortCandidates(results.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])))
}
