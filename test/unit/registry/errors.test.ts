import {ECRServiceException, RepositoryNotFoundException, ServerException} from '@aws-sdk/client-ecr'
import {describe, expect, it} from 'vitest'
import {classifySdkError, resolveRegion, toEcrctlError} from '../../../src/registry/errors.js'

/** An error as the SDK builds one for an AWS-wide error code no ECR model declares. */
const awsError = (name: string, message: string, status = 400, fault: 'client' | 'server' = 'client') =>
  new ECRServiceException({name, message, $fault: fault, $metadata: {httpStatusCode: status}})

describe('classifying SDK errors (SDK mock: error objects the SDK builds, for responses the emulator never gives)', () => {
  it('by exception class for what ECR models, and by name, fault and status for the rest', () => {
    expect(classifySdkError(new RepositoryNotFoundException({message: 'nope', $metadata: {}}))).toBe('repositoryNotFound')
    expect(classifySdkError(awsError('AccessDeniedException', 'x'))).toBe('accessDenied')
    expect(classifySdkError(awsError('Forbidden', 'x', 403))).toBe('accessDenied')
    expect(classifySdkError(awsError('ThrottlingException', 'Rate exceeded'))).toBe('throttled')
    expect(classifySdkError(awsError('SlowDown', 'x', 429))).toBe('throttled')
    expect(classifySdkError(new ServerException({message: 'boom', $metadata: {httpStatusCode: 500}}))).toBe('serviceFault')
    expect(classifySdkError(awsError('InternalFailure', 'x', 500, 'server'))).toBe('serviceFault')
    expect(classifySdkError(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}))).toBe('unreachable')
  })

  it('never by the words of a message', () => {
    // each message reads like another kind of error; none of them is one
    expect(classifySdkError(new ServerException({message: 'User is not authorized to perform: ecr:X', $metadata: {httpStatusCode: 500}}))).toBe('serviceFault')
    expect(classifySdkError(new Error('Could not load credentials from any providers'))).toBe('other')
    expect(classifySdkError(new Error('Region is missing'))).toBe('other')
    expect(classifySdkError(awsError('InvalidParameterException', 'RepositoryNotFoundException: imageStatus filter'))).toBe('invalidRequest')
  })
})

describe('toEcrctlError', () => {
  it('names the IAM action on AccessDenied', () => {
    const error = toEcrctlError(awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: ecr:DescribeImages'), {
      operation: 'DescribeImages',
      repository: 'app',
    })
    expect(error.message).toBe('Access denied: the current AWS identity may not call ecr:DescribeImages (repository app).')
    expect(error.format()).toMatch(/Grant the IAM action ecr:DescribeImages/)
  })

  it('does not call a server error that quotes "not authorized" an access problem', () => {
    const error = toEcrctlError(new ServerException({message: 'upstream: not authorized to perform', $metadata: {httpStatusCode: 500}}), {operation: 'DescribeImages'})
    expect(error.message).toBe('ECR DescribeImages failed: ServerException: upstream: not authorized to perform')
  })

  it('explains rejected and missing credentials and a missing region', async () => {
    expect(toEcrctlError(awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'), {operation: 'DescribeRegistry'}).message).toBe(
      'The AWS credentials were rejected.',
    )
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'})
    expect(toEcrctlError(noCredentials, {operation: 'DescribeRegistry'}).message).toBe('No AWS credentials found.')
    await expect(resolveRegion(() => Promise.reject(new Error('Region is missing')))).rejects.toThrow('No AWS region configured.')
    expect(await resolveRegion(async () => 'eu-west-1')).toBe('eu-west-1')
  })

  it('says throttling outlasted the retries and what to lower', () => {
    const error = toEcrctlError(awsError('ThrottlingException', 'Rate exceeded'), {operation: 'DescribeImages', repository: 'app'})
    expect(error.message).toBe("ECR kept throttling DescribeImages (repository app), also after the SDK's retries.")
    expect(error.format()).toContain('--concurrency')
  })

  it('names the endpoint of a network failure', () => {
    const error = toEcrctlError(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), {code: 'ENOTFOUND'}), {
      operation: 'DescribeRepositories',
      endpoint: 'https://nowhere.invalid',
    })
    expect(error.message).toBe('Cannot reach the ECR API at https://nowhere.invalid.')
  })

  it('keeps anything else readable with the operation', () => {
    expect(toEcrctlError(awsError('KmsException', 'boom'), {operation: 'BatchGetImage', repository: 'r'}).message).toBe(
      'ECR BatchGetImage failed (repository r): KmsException: boom',
    )
  })
})
