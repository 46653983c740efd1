import {describe, expect, it} from 'vitest'
import type {LiveImage} from '../../../src/model/snapshot.js'
import type {RepositorySummary} from '../../../src/model/plan.js'
import {savingsSummary, uniqueBytesFreed, uniqueBytesUnknownBecause} from '../../../src/graph/savings.js'
import {OCI_INDEX, digest, image, index} from '../../support/builders.js'

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const blob = (name: string, sizeBytes: number) => ({digest: digest(`blob-${name}`), sizeBytes})

function withBlobs(blobs: Array<{digest: string; sizeBytes: number}>, fields: Partial<LiveImage> = {}): LiveImage {
  const sizeBytes = blobs.reduce((sum, b) => sum + b.sizeBytes, 0)
  return image({sizeBytes, manifestMediaType: DOCKER_MANIFEST, manifest: {mediaType: DOCKER_MANIFEST, blobs}, ...fields})
}

describe('uniqueBytesFreed', () => {
  const base = blob('base', 500)
  const appV1 = blob('app-v1', 30)
  const appV2 = blob('app-v2', 40)
  const config1 = blob('config-1', 1)
  const config2 = blob('config-2', 2)

  it('counts a blob only when no remaining image references it', () => {
    const v1 = withBlobs([config1, base, appV1])
    const v2 = withBlobs([config2, base, appV2])
    expect(uniqueBytesFreed([v1, v2], new Set([v1.digest]))).toBe(31)
    expect(uniqueBytesFreed([v1, v2], new Set([v1.digest, v2.digest]))).toBe(573)
    expect(uniqueBytesFreed([v1, v2], new Set())).toBe(0)
  })

  it('counts a blob shared by two deleted images once', () => {
    const v1 = withBlobs([config1, base])
    const v2 = withBlobs([config2, base])
    expect(uniqueBytesFreed([v1, v2], new Set([v1.digest, v2.digest]))).toBe(503)
  })

  it('gives an index no blobs of its own; its platform images carry them', () => {
    const amd64 = withBlobs([config1, base])
    const multi = index([amd64], {sizeBytes: 501})
    expect(uniqueBytesFreed([amd64, multi], new Set([multi.digest]))).toBe(0)
    expect(uniqueBytesFreed([amd64, multi], new Set([multi.digest, amd64.digest]))).toBe(501)
  })

  it('is unknown when any image of the repository has no readable manifest', () => {
    const known = withBlobs([config1, base])
    const unread = image({manifestMediaType: DOCKER_MANIFEST})
    const broken = image({manifestError: 'not JSON'})
    expect(uniqueBytesFreed([known, unread], new Set([known.digest]))).toBeUndefined()
    expect(uniqueBytesFreed([known, broken], new Set([known.digest]))).toBeUndefined()
    expect(uniqueBytesUnknownBecause([known, unread, broken])).toBe('2 of 3 manifests were not read')
    expect(uniqueBytesUnknownBecause([known, index([known])])).toBeUndefined()
  })

  it('does not trust a non-empty image whose manifest lists no blobs', () => {
    const hollow = image({sizeBytes: 5, manifestMediaType: DOCKER_MANIFEST, manifest: {mediaType: DOCKER_MANIFEST}})
    expect(uniqueBytesFreed([hollow], new Set([hollow.digest]))).toBeUndefined()
  })

  it('treats an index without a read manifest as unknown too', () => {
    const unreadIndex = image({manifestMediaType: OCI_INDEX})
    expect(uniqueBytesFreed([unreadIndex], new Set([unreadIndex.digest]))).toBeUndefined()
  })
})

describe('savingsSummary', () => {
  const repo = (name: string, bytesDeleted: number, uniqueBytesFreed?: number): RepositorySummary => ({
    repository: name,
    imagesTotal: 2,
    imagesKept: 1,
    imagesDeleted: 1,
    bytesDeleted,
    ...(uniqueBytesFreed === undefined ? {} : {uniqueBytesFreed}),
  })

  it('uses unique bytes for the estimate when every repository has them', () => {
    expect(savingsSummary([repo('a', 3_000_000_000, 1_000_000_000), repo('b', 2_000_000_000, 500_000_000)], 0.1)).toEqual({
      bytesDeleted: 5_000_000_000,
      uniqueBytesFreed: 1_500_000_000,
      estimatedMonthlySavingsUsd: 0.15,
      estimateBasis: 'uniqueBytes',
    })
  })

  it('says nothing about unique bytes when nothing is deleted, and ignores repositories that delete nothing', () => {
    const idle: RepositorySummary = {repository: 'idle', imagesTotal: 1, imagesKept: 1, imagesDeleted: 0, bytesDeleted: 0}
    expect(savingsSummary([idle], 0.1)).toEqual({bytesDeleted: 0, estimatedMonthlySavingsUsd: 0})
    expect(savingsSummary([idle, repo('a', 3_000_000_000, 1_000_000_000)], 0.1)).toMatchObject({uniqueBytesFreed: 1_000_000_000})
  })

  it('falls back to the sum of image sizes, without a basis, when any repository lacks unique bytes', () => {
    expect(savingsSummary([repo('a', 3_000_000_000, 1_000_000_000), repo('b', 2_000_000_000)], 0.1)).toEqual({
      bytesDeleted: 5_000_000_000,
      estimatedMonthlySavingsUsd: 0.5,
    })
  })
})
