import {describe, expect, it} from 'vitest'
import {scanReadError} from '../../../../src/registry/inuse/errors.js'

const sdkError = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), {name, ...extra})
const context = {source: 'sagemaker' as const, permission: 'sagemaker:DescribeModel', resource: 'model sfm'}

describe('scanReadError (SDK mock: error objects shaped like the SDK’s, for answers the emulator never gives)', () => {
  it('names the IAM action for every way a service says access denied', () => {
    for (const error of [sdkError('AccessDeniedException', 'no', {$metadata: {httpStatusCode: 400}}), sdkError('SomethingElse', 'Forbidden', {$metadata: {httpStatusCode: 403}})]) {
      expect(scanReadError(error, context).message).toBe('Cannot scan SageMaker for images in use: access denied to sagemaker:DescribeModel on model sfm.')
    }
  })

  it('never classifies by message text: a server error quoting "not authorized" is not access denied', () => {
    const error = sdkError('InternalFailure', 'upstream said: not authorized to perform', {$metadata: {httpStatusCode: 500}, $fault: 'server'})
    expect(scanReadError(error, context).message).toBe('Cannot scan SageMaker for images in use: sagemaker:DescribeModel on model sfm failed.')
  })

  it('tells rejected credentials apart from access denied, even on HTTP 403', () => {
    expect(scanReadError(sdkError('ExpiredTokenException', 'expired', {$metadata: {httpStatusCode: 403}}), context).message).toBe(
      'Cannot scan SageMaker for images in use: the AWS credentials were rejected (sagemaker:DescribeModel on model sfm).',
    )
    expect(scanReadError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), context).message).toBe(
      'Cannot scan SageMaker for images in use: no AWS credentials found.',
    )
  })

  it('says throttling outlasted the retries, with how many attempts', () => {
    expect(scanReadError(sdkError('ThrottlingException', 'Rate exceeded', {$metadata: {httpStatusCode: 400, attempts: 8}}), context).message).toBe(
      'Cannot scan SageMaker for images in use: sagemaker:DescribeModel on model sfm was still throttled after 8 attempts.',
    )
    expect(scanReadError(sdkError('Whatever', 'slow down', {$metadata: {httpStatusCode: 429, attempts: 1}}), context).message).toMatch(/still throttled after 1 attempt\.$/)
  })

  it('names the endpoint settings on a network failure, and explains why any failure stops the plan', () => {
    const unreachable = scanReadError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'}), context)
    expect(unreachable.message).toBe('Cannot scan SageMaker for images in use: the SageMaker API is unreachable (sagemaker:DescribeModel on model sfm).')
    expect(unreachable.format()).toContain('AWS_ENDPOINT_URL_SAGEMAKER')
    const other = scanReadError(sdkError('InternalFailure', 'boom', {$metadata: {httpStatusCode: 500}}), context)
    expect(other.format()).toContain('an unread page could hold the reference that keeps a production image')
  })
})
