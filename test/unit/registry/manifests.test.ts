import {describe, expect, it} from 'vitest'
import {MEDIA_TYPES} from '../../../src/model/media-types.js'
import {ManifestParseError, canReferenceOthers, parseManifest} from '../../../src/registry/manifests.js'

const d = (c: string) => `sha256:${c.repeat(64)}`

describe('parseManifest', () => {
  it('lists the children of an OCI index, sorted and unique', () => {
    const text = JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [{digest: d('b'), size: 1}, {digest: d('a'), size: 1}, {digest: d('b'), size: 1}]})
    expect(parseManifest(text)).toEqual({mediaType: MEDIA_TYPES.ociIndex, children: [d('a'), d('b')]})
  })

  it('takes the media type ECR reported when the manifest has none', () => {
    const text = JSON.stringify({schemaVersion: 2, manifests: [{digest: d('c')}]})
    expect(parseManifest(text, MEDIA_TYPES.dockerManifestList)).toEqual({mediaType: MEDIA_TYPES.dockerManifestList, children: [d('c')]})
  })

  it('reads the subject of an OCI referrer and the blob sizes of an image', () => {
    const text = JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: {digest: d('1'), size: 10},
      layers: [{digest: d('2'), size: 200}, {digest: d('3'), size: 3000}],
      subject: {digest: d('f'), size: 5},
    })
    expect(parseManifest(text)).toEqual({
      mediaType: MEDIA_TYPES.ociManifest,
      subject: d('f'),
      blobs: [{digest: d('1'), sizeBytes: 10}, {digest: d('2'), sizeBytes: 200}, {digest: d('3'), sizeBytes: 3000}],
    })
  })

  it.each([
    ['not JSON', '{"schemaVersion": 2', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['an index without manifests', JSON.stringify({mediaType: MEDIA_TYPES.ociIndex}), /no "manifests" list/],
    ['a child without a digest', JSON.stringify({manifests: [{size: 1}]}), /manifests\[0\] has no valid sha256 digest/],
    ['a layer with a negative size', JSON.stringify({config: {digest: d('1'), size: 1}, layers: [{digest: d('2'), size: -1}]}), /layers\[0\] has no valid size/],
    ['a bad subject', JSON.stringify({mediaType: MEDIA_TYPES.ociManifest, layers: [], subject: {digest: 'md5:x'}}), /subject has no valid sha256 digest/],
    ['an unrecognisable object', JSON.stringify({hello: 'world'}), /no mediaType/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseManifest(text)).toThrow(ManifestParseError)
    expect(() => parseManifest(text)).toThrow(message)
  })
})

describe('canReferenceOthers', () => {
  it('is true for indexes, OCI manifests and unknown types; false for Docker images', () => {
    expect(canReferenceOthers(MEDIA_TYPES.ociIndex)).toBe(true)
    expect(canReferenceOthers(MEDIA_TYPES.dockerManifestList)).toBe(true)
    expect(canReferenceOthers(MEDIA_TYPES.ociManifest)).toBe(true)
    expect(canReferenceOthers(undefined)).toBe(true)
    expect(canReferenceOthers('application/x-something-new')).toBe(true)
    expect(canReferenceOthers(MEDIA_TYPES.dockerManifest)).toBe(false)
  })
})
