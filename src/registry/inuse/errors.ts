/**
 * Fail closed: a source that cannot be read completely stops the plan, because an unread page
 * could hold the one reference that keeps a production image. Every failure becomes an
 * EcrctlError naming the source, the resource and the IAM action (or other fix).
 */
import {EcrctlError} from '../../errors.js'
import {isNetworkError} from '../errors.js'
import {SERVICES, type AwsInUseSource} from './clients.js'

export interface ScanCallContext {
  source: AwsInUseSource
  /** The IAM action of the call, e.g. `ecs:ListTasks`. */
  permission: string
  /** What was being read: an ARN, a name, or e.g. `all clusters`. */
  resource: string
}

interface SdkLikeError {
  name?: string
  code?: string
  message?: string
  $metadata?: {httpStatusCode?: number; attempts?: number}
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
])
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'AuthorizationError', 'UnauthorizedException'])
const CREDENTIALS_REJECTED = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'ExpiredToken'])

const attemptsText = (attempts: number | undefined): string => (attempts === undefined ? 'all' : String(attempts)) + (attempts === 1 ? ' attempt' : ' attempts')

const whyItStops = 'A configured in-use source that cannot be read completely stops the plan: an unread page could hold the reference that keeps a production image.'
const orRemove = (source: AwsInUseSource) => `or remove \`${source}\` from \`inUse.aws\` in the desired state if ecrctl should not read it.`

export function scanReadError(error: unknown, context: ScanCallContext): EcrctlError {
  if (error instanceof EcrctlError) return error
  const e = (error ?? {}) as SdkLikeError
  const name = e.name ?? ''
  const message = e.message ?? String(error)
  const status = e.$metadata?.httpStatusCode
  const attempts = e.$metadata?.attempts
  const service = SERVICES[context.source].title
  const what = `${context.permission} on ${context.resource}`
  const detail = `${name ? `${name}: ` : ''}${message}`

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new EcrctlError(`Cannot scan ${service} for images in use: no AWS credentials found.`, {
      kind: 'environment',
      detail,
      nextSteps: ['Set AWS_PROFILE (or pass --profile), run `aws configure` / `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'],
      cause: error,
    })
  }
  if (/region is missing/i.test(message)) {
    return new EcrctlError(`Cannot scan ${service} for images in use: no AWS region configured.`, {
      kind: 'environment',
      detail,
      nextSteps: ['Pass --region, or set AWS_REGION, or set `region` in your AWS profile.'],
      cause: error,
    })
  }
  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(message) || (status === 403 && !CREDENTIALS_REJECTED.has(name))) {
    return new EcrctlError(`Cannot scan ${service} for images in use: access denied to ${what}.`, {
      kind: 'environment',
      detail: `${detail} ${whyItStops}`,
      nextSteps: [`Grant the IAM action ${context.permission} to the identity ecrctl runs as (docs/in-use.md lists every action each scanner needs), ${orRemove(context.source)}`],
      cause: error,
    })
  }
  if (CREDENTIALS_REJECTED.has(name)) {
    return new EcrctlError(`Cannot scan ${service} for images in use: the AWS credentials were rejected (${what}).`, {
      kind: 'environment',
      detail,
      nextSteps: ['Refresh them (`aws sso login`, new session token) or pick another --profile.'],
      cause: error,
    })
  }
  if (THROTTLING.has(name) || status === 429) {
    return new EcrctlError(
      `Cannot scan ${service} for images in use: ${what} was still throttled after ${attemptsText(attempts)}.`,
      {
        kind: 'environment',
        detail: `${detail} ${whyItStops}`,
        nextSteps: [`Retry later or with a lower --concurrency; if other tools share the account's ${context.permission} quota, run ecrctl when they are idle.`],
        cause: error,
      },
    )
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'RequestTimeoutException' || /timed out|timeout/i.test(message)) {
    return new EcrctlError(`Cannot scan ${service} for images in use: ${what} timed out${attempts ? ` (${attemptsText(attempts)})` : ''}.`, {
      kind: 'environment',
      detail: `${detail} ${whyItStops}`,
      nextSteps: [
        `Check that the ${service} endpoint answers (--endpoint-url, ${SERVICES[context.source].endpointVariable}, AWS_ENDPOINT_URL) and retry; on a slow link allow each request more time with --timeout (e.g. --timeout 2m).`,
      ],
      cause: error,
    })
  }
  if (isNetworkError(error)) {
    return new EcrctlError(`Cannot scan ${service} for images in use: the ${service} API is unreachable (${what}).`, {
      kind: 'environment',
      detail,
      nextSteps: [`Check --endpoint-url / ${SERVICES[context.source].endpointVariable} / AWS_ENDPOINT_URL and --region, and that the endpoint is reachable from here.`],
      cause: error,
    })
  }
  return new EcrctlError(`Cannot scan ${service} for images in use: ${what} failed.`, {
    kind: 'environment',
    detail: `${detail} ${whyItStops}`,
    nextSteps: ['Retry; if it persists, check the AWS service health and your network.'],
    cause: error,
  })
}

/** A source answered something a complete read cannot accept (e.g. a page token repeated). */
export function incompleteReadError(source: AwsInUseSource, resource: string, problem: string, nextStep: string): EcrctlError {
  return new EcrctlError(`Cannot scan ${SERVICES[source].title} for images in use: ${problem} (${resource}).`, {
    kind: 'environment',
    detail: whyItStops,
    nextSteps: [nextStep],
  })
}
