/**
 * What an AWS SDK error means, decided by what the SDK says about it and never by its message
 * text: the exception classes @aws-sdk/client-ecr exports (RepositoryNotFoundException, …), then
 * for errors ECR's model does not declare (AccessDeniedException, ThrottlingException, credential
 * errors) the SDK's `name`, `$fault` and `$metadata.httpStatusCode`, and for network failures
 * Node's errno `code`. Translations sit on top, so no SDK error name leaves src/registry:
 * `toEcrctlError` for what commands show, and `toRegistryCallError` (./apply-calls.ts) for the
 * apply port.
 */
import {
  ImageNotFoundException,
  InvalidParameterException,
  LifecyclePolicyNotFoundException,
  RepositoryNotFoundException,
  ValidationException,
} from '@aws-sdk/client-ecr'
import {EcrctlError} from '../errors.js'
import {plural} from '../util/words.js'

export interface CallContext {
  /** ECR API operation, e.g. DescribeImages; names the IAM action ecr:<operation>. */
  operation: string
  repository?: string
  /** Where the client sends requests, for "unreachable" messages. */
  endpoint?: string
}

export type SdkErrorKind =
  | 'repositoryNotFound'
  | 'imageNotFound'
  | 'lifecyclePolicyNotFound'
  /** InvalidParameterException / ValidationException: the request itself was refused. */
  | 'invalidRequest'
  | 'noCredentials'
  | 'credentialsRejected'
  | 'accessDenied'
  | 'throttled'
  /** No answer within the timeout (registry/client.ts), on every attempt the retry policy allowed. */
  | 'timedOut'
  | 'unreachable'
  | 'serviceFault'
  | 'other'

interface SdkLikeError {
  name?: string
  code?: string
  message?: string
  $fault?: 'client' | 'server'
  $metadata?: {httpStatusCode?: number}
  $retryable?: {throttling?: boolean}
  cause?: unknown
}

/** Exceptions ECR's API model declares: the class, or (an SDK copy loaded twice) its name. */
const MODELED: ReadonlyArray<[abstract new (...args: never[]) => Error, SdkErrorKind]> = [
  [RepositoryNotFoundException, 'repositoryNotFound'],
  [ImageNotFoundException, 'imageNotFound'],
  [LifecyclePolicyNotFoundException, 'lifecyclePolicyNotFound'],
  [InvalidParameterException, 'invalidRequest'],
  [ValidationException, 'invalidRequest'],
]

/** AWS-wide errors no service model declares; the SDK names them after the error code. */
const CREDENTIALS_REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
])
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied'])
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded'])
const TIMED_OUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'])
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'])

/** What `error` (or, for an error ecrctl wrapped, its cause) means. */
export function classifySdkError(error: unknown): SdkErrorKind {
  const own = classifyOne(error)
  if (own !== 'other' || !(error instanceof EcrctlError)) return own
  return classifyOne(error.cause)
}

function classifyOne(error: unknown): SdkErrorKind {
  if (typeof error !== 'object' || error === null) return 'other'
  const e = error as SdkLikeError
  for (const [type, kind] of MODELED) if (error instanceof type || e.name === type.name) return kind
  const name = e.name ?? ''
  if (name === 'CredentialsProviderError') return 'noCredentials'
  if (CREDENTIALS_REJECTED.has(name)) return 'credentialsRejected'
  if (ACCESS_DENIED.has(name) || e.$metadata?.httpStatusCode === 403) return 'accessDenied'
  if (THROTTLED.has(name) || e.$retryable?.throttling === true || e.$metadata?.httpStatusCode === 429) return 'throttled'
  if (error instanceof RequestTimedOutError || TIMED_OUT.has(name)) return 'timedOut'
  if (isNetworkError(e)) return 'unreachable'
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) return 'serviceFault'
  return 'other'
}

function isNetworkError(e: SdkLikeError): boolean {
  if (e.code && NETWORK_CODES.has(e.code)) return true
  const cause = e.cause as SdkLikeError | undefined
  return Boolean(cause?.code && NETWORK_CODES.has(cause.code))
}

/**
 * A call that got no answer within the timeout on every attempt the retry policy allowed
 * (registry/client.ts). Named TimeoutError, like the SDK's own.
 */
export class RequestTimedOutError extends Error {
  override readonly name = 'TimeoutError'
  readonly endpoint: string
  readonly timeoutMs: number
  readonly attempts: number
  readonly operation: string

  constructor(facts: {endpoint: string; timeoutMs: number; attempts: number; operation: string; cause: unknown}) {
    super(
      `no answer from ${facts.endpoint} to ${facts.operation} within ${seconds(facts.timeoutMs)}, ` +
        plural(facts.attempts, 'attempt'),
      {cause: facts.cause},
    )
    this.endpoint = facts.endpoint
    this.timeoutMs = facts.timeoutMs
    this.attempts = facts.attempts
    this.operation = facts.operation
  }
}

const seconds = (ms: number): string => `${ms / 1000} s`

/** The answer of `call`, or `fallback` when ECR answers that the thing asked about does not exist. */
export async function unlessMissing<T, F>(call: Promise<T>, missing: SdkErrorKind, fallback: F): Promise<T | F> {
  try {
    return await call
  } catch (error) {
    if (classifySdkError(error) === missing) return fallback
    throw error
  }
}

/** Resolves the client's region, or says how to set one (the SDK's own error has no class). */
export async function resolveRegion(region: () => Promise<string>): Promise<string> {
  try {
    return await region()
  } catch (error) {
    throw new EcrctlError('No AWS region configured.', {
      kind: 'environment',
      detail: (error as Error).message,
      nextSteps: ['Pass --region (e.g. --region us-east-1), or set AWS_REGION, or set `region` in your AWS profile.'],
      cause: error,
    })
  }
}

export function toEcrctlError(error: unknown, context: CallContext): EcrctlError {
  if (error instanceof EcrctlError) return error
  if (error instanceof RequestTimedOutError) {
    const where = context.repository ? ` (repository ${context.repository})` : ''
    return new EcrctlError(
      `The ECR API at ${error.endpoint} did not answer ${error.operation}${where} within ${seconds(error.timeoutMs)}, ` +
        `${plural(error.attempts, 'attempt')} in a row.`,
      {
        kind: 'environment',
        nextSteps: [
          'Check that the endpoint (--endpoint-url, AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL, --region) is the ECR API and reachable from here; ' +
            'on a slow link allow each request more time with --timeout (e.g. --timeout 2m).',
        ],
        cause: error,
      },
    )
  }
  const e = (error ?? {}) as SdkLikeError
  const name = e.name ?? ''
  const message = e.message ?? String(error)
  const where = context.repository ? ` (repository ${context.repository})` : ''

  switch (classifySdkError(error)) {
    case 'noCredentials':
      return new EcrctlError('No AWS credentials found.', {
        kind: 'environment',
        detail: `The AWS SDK's default credential chain found nothing: ${message}`,
        nextSteps: ['Set AWS_PROFILE (or pass --profile), run `aws configure` / `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'],
        cause: error,
      })
    case 'repositoryNotFound':
      return new EcrctlError(`Repository ${context.repository ?? ''} does not exist in this registry.`.replace('  ', ' '), {
        detail: message,
        nextSteps: ['Check the repository name and the account/region you are connected to (--profile, --region).'],
        cause: error,
      })
    case 'accessDenied':
      return new EcrctlError(`Access denied: the current AWS identity may not call ecr:${context.operation}${where}.`, {
        kind: 'environment',
        detail: message,
        nextSteps: [`Grant the IAM action ecr:${context.operation} to the identity you use (check with \`aws sts get-caller-identity\`), or use another --profile.`],
        cause: error,
      })
    case 'credentialsRejected':
      return new EcrctlError('The AWS credentials were rejected.', {
        kind: 'environment',
        detail: `${name}: ${message}`,
        nextSteps: ['Refresh them (`aws sso login`, new session token) or pick another --profile.'],
        cause: error,
      })
    case 'timedOut':
    case 'unreachable':
      return new EcrctlError(`Cannot reach the ECR API at ${context.endpoint ?? 'the ECR endpoint'}.`, {
        kind: 'environment',
        detail: `${context.operation} failed: ${e.code ?? name}: ${message}`,
        nextSteps: ['Check --endpoint-url / AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL and --region, and that the endpoint is up and reachable from here.'],
        cause: error,
      })
    case 'throttled':
      return new EcrctlError(`ECR kept throttling ${context.operation}${where}, also after the SDK's retries.`, {
        kind: 'environment',
        detail: `${name}: ${message}`,
        nextSteps: ['Retry later, or lower --concurrency; other tools calling ECR in this account share the same request quota.'],
        cause: error,
      })
    default:
      return new EcrctlError(`ECR ${context.operation} failed${where}: ${name ? `${name}: ` : ''}${message}`, {
        kind: 'environment',
        nextSteps: ['Retry; if it persists, check the AWS service health and your network.'],
        cause: error,
      })
  }
}
