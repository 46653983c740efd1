/**
 * The one factory for the AWS clients the in-use scanners use (ECS, Lambda, SageMaker, Batch,
 * Step Functions). It imports no SDK client itself: each scanner module passes its own client
 * class, so a scan of Lambda never loads the ECS client.
 *
 * Every client gets the connection settings the ECR client gets (region, profile, adaptive retry,
 * maxAttempts 8, the --timeout per attempt), so a hung endpoint fails the scan instead of
 * stalling the plan.
 */
import {AWS_IN_USE_SOURCES, type AwsInUseSource} from '../../model/in-use.js'
import {DEFAULT_TIMEOUT_MS, timeoutHandlerOptions, type ConnectionOptions} from '../client.js'

export {AWS_IN_USE_SOURCES, type AwsInUseSource}

/** The ECR client's connection options (region, profile, --endpoint-url, maxAttempts, --timeout). */
export type ServiceConnectionOptions = ConnectionOptions

/** How each service is named to people, in IAM actions, and in the SDK's endpoint variables. */
export const SERVICES: Record<AwsInUseSource, {title: string; iamPrefix: string; endpointVariable: string}> = {
  ecs: {title: 'ECS', iamPrefix: 'ecs', endpointVariable: 'AWS_ENDPOINT_URL_ECS'},
  lambda: {title: 'Lambda', iamPrefix: 'lambda', endpointVariable: 'AWS_ENDPOINT_URL_LAMBDA'},
  sagemaker: {title: 'SageMaker', iamPrefix: 'sagemaker', endpointVariable: 'AWS_ENDPOINT_URL_SAGEMAKER'},
  batch: {title: 'Batch', iamPrefix: 'batch', endpointVariable: 'AWS_ENDPOINT_URL_BATCH'},
  stepfunctions: {title: 'Step Functions', iamPrefix: 'states', endpointVariable: 'AWS_ENDPOINT_URL_SFN'},
}

/**
 * The endpoint for one service: `AWS_ENDPOINT_URL_<SERVICE>` when set (the one way to send a
 * single service elsewhere while `--endpoint-url` points at an emulator serving the rest), else
 * `--endpoint-url`, else undefined: the SDK then applies `AWS_ENDPOINT_URL`, the profile's
 * `endpoint_url` / `services` section, or the service's public endpoint.
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns the variables off, as it does in the SDK.
 */
export function serviceEndpoint(source: AwsInUseSource, endpointUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const ignoreConfigured = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true'
  const fromVariable = ignoreConfigured ? undefined : env[SERVICES[source].endpointVariable]
  return fromVariable || endpointUrl || undefined
}

export interface ServiceClientConfig {
  region?: string
  profile?: string
  endpoint?: string
  retryMode: 'adaptive'
  maxAttempts: number
  requestHandler: {connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true}
}

export function serviceClientConfig(source: AwsInUseSource, options: ServiceConnectionOptions = {}, env: NodeJS.ProcessEnv = process.env): ServiceClientConfig {
  return {
    region: options.region,
    profile: options.profile,
    endpoint: serviceEndpoint(source, options.endpointUrl, env),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    requestHandler: timeoutHandlerOptions(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  }
}

/** `new Client(config)` for one service, e.g. `createServiceClient('ecs', ECSClient, options)`. */
export function createServiceClient<C>(source: AwsInUseSource, Client: new (config: ServiceClientConfig) => C, options: ServiceConnectionOptions = {}): C {
  // Same reason as createEcrClient: the SDK's Node 20 notice would precede every command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  return new Client(serviceClientConfig(source, options))
}
