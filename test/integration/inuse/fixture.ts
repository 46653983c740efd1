/**
 * Shared by the in-use scanner tests: an emulator per test file, the registry's URI prefix,
 * credentials the emulator accepts, and a counter of the API calls a scanner client makes.
 */
import {ECRClient} from '@aws-sdk/client-ecr'
import type {CandidateString} from '../../../src/model/in-use.js'
import {countApiCalls, type ApiCallCounter} from '../../../src/registry/read.js'
import type {ServiceConnectionOptions} from '../../../src/registry/inuse/clients.js'

export const ACCOUNT = '123456789012'
export const REGION = 'us-east-1'
export const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/test-role`

/**
 * Creates the IAM role test functions and state machines run as (Lambda refuses a role that does
 * not exist). No IAM client is a dependency of ecrctl, so this is one Query API request; the
 * emulator routes it by the Authorization header's credential scope and checks no signature.
 */
export async function createTestRole(endpoint: string): Promise<void> {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: ROLE.slice(ROLE.lastIndexOf('/') + 1),
    AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
  })
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  })
  if (!response.ok) throw new Error(`CreateRole failed: HTTP ${response.status} ${await response.text()}`)
}

/** The scanner clients use the SDK's default credential chain: give it something the emulator accepts. */
export function useTestCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID ??= 'test'
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test'
}

export function connection(endpoint: string, extra: Partial<ServiceConnectionOptions> = {}): ServiceConnectionOptions {
  return {endpointUrl: endpoint, region: REGION, maxAttempts: 2, ...extra}
}

/** countApiCalls only touches the client's middleware stack, which every SDK v3 client has. */
export function countCalls(client: {middlewareStack: unknown}): ApiCallCounter {
  return countApiCalls(client as unknown as ECRClient)
}

/** `value ← field @ resource` lines: compact to compare, and a failing diff reads like evidence. */
export function lines(candidates: readonly CandidateString[]): string[] {
  return candidates.map((c) => `${c.exact ? 'exact' : 'text'} ${c.evidence.resource} ${c.evidence.field} = ${c.value}`)
}
