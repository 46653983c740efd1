import {describe, expect, it} from 'vitest'
import {toEcrctlError} from '../../../src/registry/errors.js'

const sdkError = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), {name, ...extra})

describe('toEcrctlError (SDK mock: error objects shaped like the SDK’s, for responses the emulator never gives)', () => {
  it('names the IAM action on AccessDenied', () => {
    const error = toEcrctlError(
      sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: ecr:DescribeImages', {$metadata: {httpStatusCode: 400}}),
      {operation: 'DescribeImages', repository: 'app'},
    )
    expect(error.message).toBe('Access denied: the current AWS identity may not call ecr:DescribeImages (repository app).')
    expect(error.format()).toMatch(/Grant the IAM action ecr:DescribeImages/)
  })

  it('explains rejected and missing credentials and a missing region', () => {
    expect(toEcrctlError(sdkError('UnrecognizedClientException', 'The security token included in the request is invalid.'), {operation: 'DescribeRegistry'}).message).toBe(
      'The AWS credentials were rejected.',
    )
    expect(toEcrctlError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), {operation: 'DescribeRegistry'}).message).toBe(
      'No AWS credentials found.',
    )
    expect(toEcrctlError(new Error('Region is missing'), {operation: 'DescribeRegistry'}).format()).toMatch(/--region/)
  })

  it('names the endpoint of a network failure', () => {
    const error = toEcrctlError(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), {code: 'ENOTFOUND'}), {
      operation: 'DescribeRepositories',
      endpoint: 'https://nowhere.invalid',
    })
    expect(error.message).toBe('Cannot reach the ECR API at https://nowhere.invalid.')
  })

  it('keeps anything else readable with the operation', () => {
    expect(toEcrctlError(sdkError('ServerException', 'boom'), {operation: 'BatchGetImage', repository: 'r'}).message).toBe(
      'ECR BatchGetImage failed (repository r): ServerException: boom',
    )
  })
})
