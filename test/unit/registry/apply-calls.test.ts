/**
 * The apply port's SDK adapter speaks the port's words: SDK error names stay inside src/registry.
 * SDK mock: a client whose send answers as ECR would for cases the emulator never produces
 * (access denied, KMS failures, a back end without the imageStatus filter).
 */
import {
  BatchDeleteImageCommand,
  DeleteLifecyclePolicyCommand,
  DescribeImagesCommand,
  ECRServiceException,
  GetLifecyclePolicyCommand,
  InvalidParameterException,
  LifecyclePolicyNotFoundException,
  RepositoryNotFoundException,
  type ECRClient,
} from '@aws-sdk/client-ecr'
import {describe, expect, it} from 'vitest'
import {RegistryCallError} from '../../../src/model/apply-port.js'
import {EcrApplyCalls} from '../../../src/registry/apply-calls.js'
import {readRepositoryImages} from '../../../src/registry/read.js'

const digest = (c: string) => `sha256:${c.repeat(64)}`
type Command = {constructor: {name: string}; input: Record<string, unknown>}

function fakeClient(answer: (command: Command) => unknown): ECRClient & {sent: Command[]} {
  const sent: Command[] = []
  return {
    sent,
    send: async (command: Command) => {
      sent.push(command)
      const result = answer(command)
      if (result instanceof Error) throw result
      return result
    },
    config: {region: async () => 'us-east-1'},
  } as unknown as ECRClient & {sent: Command[]}
}

const meta = {$metadata: {httpStatusCode: 400}}

async function portError(call: Promise<unknown>): Promise<RegistryCallError> {
  try {
    await call
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryCallError)
    return error as RegistryCallError
  }
  throw new Error('the call succeeded')
}

describe('EcrApplyCalls: failures in the port’s words', () => {
  it('a whole call that fails is a RegistryCallError with ecrctl’s word for why, and ECR’s text for people', async () => {
    const denied = new ECRServiceException({name: 'AccessDeniedException', message: 'not authorized', $fault: 'client', ...meta})
    const error = await portError(new EcrApplyCalls(fakeClient(() => denied)).putLifecyclePolicy('app', '{}'))
    expect(error.failure).toBe('accessDenied')
    expect(error.message).toBe('AccessDeniedException: not authorized')
  })

  it('per-image delete failures come as imageGone, referencedByIndex or refused', async () => {
    const client = fakeClient(() => ({
      imageIds: [],
      failures: [
        {imageId: {imageDigest: digest('1')}, failureCode: 'ImageNotFound', failureReason: 'gone'},
        {imageId: {imageDigest: digest('2')}, failureCode: 'ImageReferencedByManifestList', failureReason: 'in an index'},
        {imageId: {imageDigest: digest('3')}, failureCode: 'KmsError', failureReason: 'key disabled'},
      ],
    }))
    const result = await new EcrApplyCalls(client).batchDeleteImages('app', [digest('1'), digest('2'), digest('3')])
    expect(result.failures).toEqual([
      {imageDigest: digest('1'), kind: 'imageGone', reason: 'ImageNotFound: gone'},
      {imageDigest: digest('2'), kind: 'referencedByIndex', reason: 'ImageReferencedByManifestList: in an index'},
      {imageDigest: digest('3'), kind: 'refused', reason: 'KmsError: key disabled'},
    ])
  })

  it('"there is none" is an answer, not an error: no policy, no repository', async () => {
    const client = fakeClient((command) =>
      command instanceof GetLifecyclePolicyCommand || command instanceof DeleteLifecyclePolicyCommand
        ? new LifecyclePolicyNotFoundException({message: 'none', ...meta})
        : new RepositoryNotFoundException({message: 'no repository', ...meta}),
    )
    const calls = new EcrApplyCalls(client)
    expect(await calls.getLifecyclePolicy('app')).toBeNull()
    expect(await calls.deleteLifecyclePolicy('app')).toBe(false)
    expect(await calls.rereadImages('app', new Map())).toEqual([])
    expect((await calls.batchDeleteImages('app', [digest('1')])).failures).toEqual([{imageDigest: digest('1'), kind: 'imageGone', reason: 'the repository does not exist'}])
  })
})

describe('DescribeImages on a back end without the imageStatus filter (one function for reads and apply)', () => {
  const image = {imageDigest: digest('a'), imageTags: ['v1'], imagePushedAt: new Date('2025-01-01T00:00:00Z'), imageSizeInBytes: 1}
  /** Refuses any request with a filter, whatever its message says. */
  const withoutFilterSupport = () =>
    fakeClient((command) =>
      command instanceof DescribeImagesCommand && command.input.filter
        ? new InvalidParameterException({message: 'Unexpected field in request', ...meta})
        : {imageDetails: [image]},
    )

  it('asks again without the filter when the filter is refused, and leaves it out from then on', async () => {
    const client = withoutFilterSupport()
    expect((await readRepositoryImages(client, 'app', {readManifests: 'none'})).map((i) => i.digest)).toEqual([digest('a')])
    // Known from the first read: its manifest is not fetched again (no BatchGetImage below).
    const known = new Map([[digest('a'), {digest: digest('a'), tags: ['v1'], pushedAt: '2025-01-01T00:00:00.000Z', sizeBytes: 1}]])
    expect((await new EcrApplyCalls(client).rereadImages('app', known)).map((i) => [i.digest, i.tags])).toEqual([[digest('a'), ['v1']]])
    expect(client.sent.map((command) => Boolean(command.input.filter))).toEqual([true, false, false])
  })

  it('keeps the filter when the request fails without it too (the filter was not the problem)', async () => {
    const client = fakeClient((command) =>
      command instanceof DescribeImagesCommand ? new InvalidParameterException({message: 'bad repository name', ...meta}) : undefined,
    )
    const calls = new EcrApplyCalls(client)
    expect((await portError(calls.rereadImages('App', new Map()))).failure).toBe('invalidRequest')
    await portError(calls.rereadImages('App', new Map()))
    expect(client.sent.map((command) => Boolean(command.input.filter))).toEqual([true, false, true, false])
    expect(client.sent.some((command) => command instanceof BatchDeleteImageCommand)).toBe(false)
  })
})
