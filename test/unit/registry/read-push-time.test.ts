import {describe, expect, it} from 'vitest'
import type {ECRClient} from '@aws-sdk/client-ecr'
import {readRepositoryImages} from '../../../src/registry/read.js'
import {EcrctlError} from '../../../src/errors.js'

const digest = `sha256:${'1'.repeat(64)}`

function clientDescribing(imageDetails: unknown[]): ECRClient {
  return {send: async () => ({imageDetails}), config: {region: async () => 'us-east-1'}} as unknown as ECRClient
}

describe('readRepositoryImages: push times', () => {
  it('refuses an image without imagePushedAt instead of dating it 1970 (SDK mock: the emulator always reports it)', async () => {
    const client = clientDescribing([{imageDigest: digest, imageTags: ['prod'], imageSizeInBytes: 10}])
    const read = readRepositoryImages(client, 'app', {readManifests: 'none'})
    await expect(read).rejects.toBeInstanceOf(EcrctlError)
    await expect(read).rejects.toThrow(digest)
  })

  it('keeps the reported push time (SDK mock: pairs with the case above)', async () => {
    const pushed = new Date('2025-01-02T03:04:05.000Z')
    const client = clientDescribing([{imageDigest: digest, imageTags: ['prod'], imagePushedAt: pushed, imageSizeInBytes: 10}])
    const [image] = await readRepositoryImages(client, 'app', {readManifests: 'none'})
    expect(image!.pushedAt).toBe('2025-01-02T03:04:05.000Z')
  })
})
