/**
 * Turns AWS SDK errors into EcrctlErrors that say what to do next. The registry layer calls this
 * at its boundary so commands never see an SDK error type.
 */
import {EcrctlError} from '../errors.js'

export interface CallContext {
  /** ECR API operation, e.g. DescribeImages; names the IAM action ecr:<operation>. */
  operation: string
  repository?: string
  /** Where the client sends requests, for "unreachable" messages. */
  endpoint?: string
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'])

interface SdkLikeError {
  name?: string
  code?: string
  message?: string
  $metadata?: {httpStatusCode?: number}
  cause?: unknown
}

export function isNetworkError(error: unknown): boolean {
  const e = error as SdkLikeError | undefined
  if (!e) return false
  if (e.code && NETWORK_CODES.has(e.code)) return true
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout') return true
  const cause = e.cause as SdkLikeError | undefined
  return Boolean(cause?.code && NETWORK_CODES.has(cause.code))
}

/**
 * A call that got no answer within the timeout on every attempt the retry policy allowed
 * (registry/client.ts). Named TimeoutError, like the SDK's, so apply records it per image as such.
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
        `${facts.attempts} ${facts.attempts === 1 ? 'attempt' : 'attempts'}`,
      {cause: facts.cause},
    )
    this.endpoint = facts.endpoint
    this.timeoutMs = facts.timeoutMs
    this.attempts = facts.attempts
    this.operation = facts.operation
  }
}

const seconds = (ms: number): string => `${ms / 1000} s`

export function toEcrctlError(error: unknown, context: CallContext): EcrctlError {
  if (error instanceof EcrctlError) return error
  if (error instanceof RequestTimedOutError) {
    const where = context.repository ? ` (repository ${context.repository})` : ''
    return new EcrctlError(
      `The ECR API at ${error.endpoint} did not answer ${error.operation}${where} within ${seconds(error.timeoutMs)}, ` +
        `${error.attempts} ${error.attempts === 1 ? 'attempt' : 'attempts'} in a row.`,
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

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new EcrctlError('No AWS credentials found.', {
      kind: 'environment',
      detail: `The AWS SDK's default credential chain found nothing: ${message}`,
      nextSteps: ['Set AWS_PROFILE (or pass --profile), run `aws configure` / `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'],
      cause: error,
    })
  }
  if (/region is missing/i.test(message)) {
    return new EcrctlError('No AWS region configured.', {
      kind: 'environment',
      detail: message,
      nextSteps: ['Pass --region (e.g. --region us-east-1), or set AWS_REGION, or set `region` in your AWS profile.'],
      cause: error,
    })
  }
  if (name === 'RepositoryNotFoundException') {
    return new EcrctlError(`Repository ${context.repository ?? ''} does not exist in this registry.`.replace('  ', ' '), {
      detail: message,
      nextSteps: ['Check the repository name and the account/region you are connected to (--profile, --region).'],
      cause: error,
    })
  }
  if (
    name === 'AccessDeniedException' ||
    name === 'AccessDenied' ||
    /not authorized to perform/i.test(message) ||
    e.$metadata?.httpStatusCode === 403 && !/signature|token|security/i.test(name)
  ) {
    return new EcrctlError(`Access denied: the current AWS identity may not call ecr:${context.operation}${where}.`, {
      kind: 'environment',
      detail: message,
      nextSteps: [`Grant the IAM action ecr:${context.operation} to the identity you use (check with \`aws sts get-caller-identity\`), or use another --profile.`],
      cause: error,
    })
  }
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'ExpiredToken'].includes(name)) {
    return new EcrctlError('The AWS credentials were rejected.', {
      kind: 'environment',
      detail: `${name}: ${message}`,
      nextSteps: ['Refresh them (`aws sso login`, new session token) or pick another --profile.'],
      cause: error,
    })
  }
  if (isNetworkError(error)) {
    const endpoint = context.endpoint ?? 'the ECR endpoint'
    return new EcrctlError(`Cannot reach the ECR API at ${endpoint}.`, {
      kind: 'environment',
      detail: `${context.operation} failed: ${e.code ?? name}: ${message}`,
      nextSteps: ['Check --endpoint-url / AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL and --region, and that the endpoint is up and reachable from here.'],
      cause: error,
    })
  }
  return new EcrctlError(`ECR ${context.operation} failed${where}: ${name ? `${name}: ` : ''}${message}`, {
    kind: 'environment',
    nextSteps: ['Retry; if it persists, check the AWS service health and your network.'],
    cause: error,
  })
}
