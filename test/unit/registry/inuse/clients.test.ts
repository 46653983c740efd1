import {ECSClient} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'
import {createServiceClient, serviceClientConfig, serviceEndpoint} from '../../../../src/registry/inuse/clients.js'

describe('serviceEndpoint', () => {
  it('prefers AWS_ENDPOINT_URL_<SERVICE>, then --endpoint-url, then leaves it to the SDK', () => {
    const env = {AWS_ENDPOINT_URL_SFN: 'http://sfn.local', AWS_ENDPOINT_URL: 'http://all.local'}
    expect(serviceEndpoint('stepfunctions', 'http://flag.local', env)).toBe('http://sfn.local')
    expect(serviceEndpoint('ecs', 'http://flag.local', env)).toBe('http://flag.local')
    // AWS_ENDPOINT_URL and the profile's endpoint_url are the SDK's to apply.
    expect(serviceEndpoint('ecs', undefined, env)).toBeUndefined()
  })

  it('uses the variable names the SDK itself reads (service ids ECS, Lambda, SageMaker, Batch, SFN)', () => {
    const env = {
      AWS_ENDPOINT_URL_ECS: 'e',
      AWS_ENDPOINT_URL_LAMBDA: 'l',
      AWS_ENDPOINT_URL_SAGEMAKER: 's',
      AWS_ENDPOINT_URL_BATCH: 'b',
      AWS_ENDPOINT_URL_SFN: 'f',
    }
    expect(['ecs', 'lambda', 'sagemaker', 'batch', 'stepfunctions'].map((source) => serviceEndpoint(source as never, 'x', env))).toEqual(['e', 'l', 's', 'b', 'f'])
  })

  it('ignores the variables when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, as the SDK does', () => {
    expect(serviceEndpoint('lambda', 'http://flag.local', {AWS_ENDPOINT_URL_LAMBDA: 'http://l.local', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true'})).toBe('http://flag.local')
  })
})

describe('serviceClientConfig', () => {
  it('gives every client adaptive retry, 8 attempts, and the ECR client’s timeouts, which throw', () => {
    expect(serviceClientConfig('batch', {region: 'eu-west-1', profile: 'prod'}, {})).toEqual({
      region: 'eu-west-1',
      profile: 'prod',
      endpoint: undefined,
      retryMode: 'adaptive',
      maxAttempts: 8,
      requestHandler: {connectionTimeout: 10_000, requestTimeout: 30_000, throwOnRequestTimeout: true},
    })
    // --timeout, as for the ECR client: the request timeout, and the connection timeout up to 10 s.
    expect(serviceClientConfig('batch', {timeoutMs: 120_000}, {}).requestHandler).toEqual({connectionTimeout: 10_000, requestTimeout: 120_000, throwOnRequestTimeout: true})
    expect(serviceClientConfig('batch', {timeoutMs: 2}, {}).requestHandler).toEqual({connectionTimeout: 2, requestTimeout: 2, throwOnRequestTimeout: true})
  })

  it('builds a real SDK client that sends to the resolved endpoint', async () => {
    const client = createServiceClient('ecs', ECSClient, {region: 'us-east-1', endpointUrl: 'http://127.0.0.1:1'})
    try {
      const endpoint = await client.config.endpoint!()
      expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:1')
      expect(await client.config.maxAttempts()).toBe(8)
      const retryMode = client.config.retryMode
      expect(typeof retryMode === 'function' ? await retryMode() : retryMode).toBe('adaptive')
    } finally {
      client.destroy()
    }
  })
})
