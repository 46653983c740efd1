/**
 * The only place ecrctl constructs an AWS SDK client. Import this module lazily (await import)
 * from commands that talk to AWS, so `--help`, `validate`, `show` and offline `plan` never load
 * the SDK.
 */
import {ECRClient} from '@aws-sdk/client-ecr'
import {RequestTimedOutError} from './errors.js'

export interface ConnectionOptions {
  region?: string
  profile?: string
  /** Explicit endpoint; otherwise the SDK honours AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL. */
  endpointUrl?: string
  /** SDK maxAttempts; default 8 (adaptive retry absorbs throttling during large reads/deletes). */
  maxAttempts?: number
  /** How long one attempt of a call may take, connecting included; default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number
}

/** ECR answers in well under a second; 30 s leaves room for a slow link and a large page. */
export const DEFAULT_TIMEOUT_MS = 30_000
/** A connection takes a fraction of a request's time: an endpoint that drops packets fails sooner. */
const MAX_CONNECTION_TIMEOUT_MS = 10_000

/** The Node HTTP handler settings for a per-attempt timeout; every ecrctl AWS client uses them. */
export function timeoutHandlerOptions(timeoutMs: number): {connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true} {
  return {connectionTimeout: Math.min(timeoutMs, MAX_CONNECTION_TIMEOUT_MS), requestTimeout: timeoutMs, throwOnRequestTimeout: true}
}

export function createEcrClient(options: ConnectionOptions = {}): ECRClient {
  // Node 20 is supported by ecrctl (and by this SDK major); the SDK's multi-line notice about
  // Node 20's end of life would otherwise precede every command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const client = new ECRClient({
    region: options.region,
    profile: options.profile,
    endpoint: options.endpointUrl,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    // Without timeouts an endpoint that accepts connections and never answers hangs ecrctl for
    // ever. The Node handler's requestTimeout only logs a warning unless
    // throwOnRequestTimeout is set; thrown, the TimeoutError is transient to the retry strategy.
    requestHandler: timeoutHandlerOptions(timeoutMs),
  })
  // Outermost, so it sees the error once the retries have run out.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args)
      } catch (error) {
        if (!isTimeout(error)) throw error
        const url = (context as {endpointV2?: {url?: URL}}).endpointV2?.url
        const endpoint = url ? `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}` : 'the ECR endpoint'
        const attempts = (error as {$metadata?: {attempts?: number}}).$metadata?.attempts ?? 1
        throw new RequestTimedOutError({endpoint, timeoutMs, attempts, operation: context.commandName?.replace(/Command$/, '') ?? 'a call', cause: error})
      }
    },
    {step: 'initialize', name: 'ecrctlNameTimeouts', priority: 'high'},
  )
  return client
}

function isTimeout(error: unknown): boolean {
  const e = error as {name?: string; code?: string} | undefined
  return e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT'
}
