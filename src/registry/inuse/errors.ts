/**
 * Fail closed: a source that cannot be read completely stops the plan, because an unread page
 * could hold the one reference that keeps a production image. Every failure becomes an
 * EcrctlError naming the source, the resource and the IAM action (or other fix).
 */
import {EcrctlError} from '../../errors.js'
import {classifySdkError} from '../errors.js'
import {SERVICES, type AwsInUseSource} from './clients.js'

export interface ScanCallContext {
  source: AwsInUseSource
  /** The IAM action of the call, e.g. `ecs:ListTasks`. */
  permission: string
  /** What was being read: an ARN, a name, or e.g. `all clusters`. */
  resource: string
}

const attemptsText = (attempts: number | undefined): string => (attempts === undefined ? 'all' : String(attempts)) + (attempts === 1 ? ' attempt' : ' attempts')

const whyItStops = 'A configured in-use source that cannot be read completely stops the plan: an unread page could hold the reference that keeps a production image.'
const orRemove = (source: AwsInUseSource) => `or remove \`${source}\` from \`inUse.aws\` in the desired state if ecrctl should not read it.`

/** Classified as every SDK error is (registry/errors.ts: by class, name, fault and status, never message text). */
export function scanReadError(error: unknown, context: ScanCallContext): EcrctlError {
  if (error instanceof EcrctlError) return error
  const e = (error ?? {}) as {name?: string; message?: string; $metadata?: {attempts?: number}}
  const detail = `${e.name ? `${e.name}: ` : ''}${e.message ?? String(error)}`
  const attempts = e.$metadata?.attempts
  const service = SERVICES[context.source].title
  const what = `${context.permission} on ${context.resource}`
  const endpointSettings = `--endpoint-url, ${SERVICES[context.source].endpointVariable}, AWS_ENDPOINT_URL`
  const failure = (summary: string, nextStep: string, explain = true): EcrctlError =>
    new EcrctlError(`Cannot scan ${service} for images in use: ${summary}.`, {
      kind: 'environment',
      detail: explain ? `${detail} ${whyItStops}` : detail,
      nextSteps: [nextStep],
      cause: error,
    })

  switch (classifySdkError(error)) {
    case 'noCredentials':
      return failure('no AWS credentials found', 'Set AWS_PROFILE (or pass --profile), run `aws configure` / `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.', false)
    case 'credentialsRejected':
      return failure(`the AWS credentials were rejected (${what})`, 'Refresh them (`aws sso login`, new session token) or pick another --profile.', false)
    case 'accessDenied':
      return failure(
        `access denied to ${what}`,
        `Grant the IAM action ${context.permission} to the identity ecrctl runs as (docs/in-use.md lists every action each scanner needs), ${orRemove(context.source)}`,
      )
    case 'throttled':
      return failure(
        `${what} was still throttled after ${attemptsText(attempts)}`,
        `Retry later or with a lower --concurrency; if other tools share the account's ${context.permission} quota, run ecrctl when they are idle.`,
      )
    case 'timedOut':
      return failure(
        `${what} timed out${attempts ? ` (${attemptsText(attempts)})` : ''}`,
        `Check that the ${service} endpoint answers (${endpointSettings}) and retry; on a slow link allow each request more time with --timeout (e.g. --timeout 2m).`,
      )
    case 'unreachable':
      return failure(`the ${service} API is unreachable (${what})`, `Check ${endpointSettings} and --region, and that the endpoint is reachable from here.`, false)
    default:
      return failure(`${what} failed`, 'Retry; if it persists, check the AWS service health and your network.')
  }
}

/** A source answered something a complete read cannot accept (e.g. a page token repeated). */
export function incompleteReadError(source: AwsInUseSource, resource: string, problem: string, nextStep: string): EcrctlError {
  return new EcrctlError(`Cannot scan ${SERVICES[source].title} for images in use: ${problem} (${resource}).`, {
    kind: 'environment',
    detail: whyItStops,
    nextSteps: [nextStep],
  })
}
