/**
 * The only place ecrctl constructs an AWS SDK client. Import this module lazily (await import)
 * from commands that talk to AWS, so `--help`, `validate`, `show` and offline `plan` never load
 * the SDK.
 */
import {ECRClient} from '@aws-sdk/client-ecr'

export interface ConnectionOptions {
  region?: string
  profile?: string
  /** Explicit endpoint; otherwise the SDK honours AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL. */
  endpointUrl?: string
  /** SDK maxAttempts; default 8 (adaptive retry absorbs throttling during large reads/deletes). */
  maxAttempts?: number
}

export function createEcrClient(options: ConnectionOptions = {}): ECRClient {
  // Node 20 is supported by ecrctl (and by this SDK major); the SDK's multi-line notice about
  // Node 20's end of life would otherwise precede every command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  return new ECRClient({
    region: options.region,
    profile: options.profile,
    endpoint: options.endpointUrl,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
  })
}
