import {describe, expect, it} from 'vitest'
import {unreadableManifests} from '../../../src/graph/unreadable-manifests.js'
import {isIndexMediaType} from '../../../src/model/media-types.js'
import {OCI_MANIFEST, digest, image, index} from '../../support/builders.js'

describe('unreadableManifests', () => {
  it('names images with a manifest error and indexes whose manifest was not read', () => {
    const broken = image({digest: digest('broken'), manifestError: 'bad JSON'})
    const unreadIndex = image({digest: digest('unread'), manifestMediaType: 'application/vnd.docker.distribution.manifest.list.v2+json'})
    const plain = image({manifestMediaType: OCI_MANIFEST})
    const readIndex = index([plain])
    expect(unreadableManifests([plain, readIndex, unreadIndex, broken])).toEqual(
      [
        {digest: broken.digest, problem: 'bad JSON'},
        {digest: unreadIndex.digest, problem: 'index manifest was not read'},
      ].sort((x, y) => (x.digest < y.digest ? -1 : 1)),
    )
  })

  it('recognises both index media types', () => {
    expect(isIndexMediaType('application/vnd.oci.image.index.v1+json')).toBe(true)
    expect(isIndexMediaType('application/vnd.docker.distribution.manifest.list.v2+json')).toBe(true)
    expect(isIndexMediaType(OCI_MANIFEST)).toBe(false)
    expect(isIndexMediaType(undefined)).toBe(false)
  })
})
