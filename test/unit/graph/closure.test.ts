import {describe, expect, it} from 'vitest'
import {closeOverIndexChildren, isIndexMediaType, unreadableManifests} from '../../../src/graph/closure.js'
import type {LiveImage} from '../../../src/model/snapshot.js'
import {OCI_MANIFEST, digest, image, index} from '../../support/builders.js'

const byDigest = (images: LiveImage[]) => new Map(images.map((img) => [img.digest, img]))

describe('closeOverIndexChildren', () => {
  it('adds the children of kept indexes with their kept parents, and leaves the rest alone', () => {
    const a = image()
    const b = image()
    const lonely = image()
    const parent = index([a, b])
    const closure = closeOverIndexChildren(byDigest([a, b, lonely, parent]), new Set([parent.digest]))
    expect([...closure.keptParents.keys()].sort()).toEqual([a.digest, b.digest].sort())
    expect(closure.keptParents.get(a.digest)).toEqual([parent])
    expect(closure.keptParents.has(lonely.digest)).toBe(false)
  })

  it('ignores indexes that are not kept', () => {
    const child = image()
    const parent = index([child])
    const closure = closeOverIndexChildren(byDigest([child, parent]), new Set())
    expect(closure.keptParents.size).toBe(0)
  })

  it('reaches a fixed point through nested indexes and terminates on cycles', () => {
    const leaf = image()
    const inner = index([leaf], {digest: digest('inner')})
    const outer = index([inner], {digest: digest('outer')})
    // a malformed cycle: inner also lists outer
    inner.manifest!.children!.push(outer.digest)
    const closure = closeOverIndexChildren(byDigest([leaf, inner, outer]), new Set([outer.digest]))
    expect(closure.keptParents.get(leaf.digest)).toEqual([inner])
    expect(closure.keptParents.get(inner.digest)).toEqual([outer])
    expect(closure.keptParents.get(outer.digest)).toEqual([inner])
  })

  it('sorts the parents of a shared child by digest and counts a repeated child once', () => {
    const shared = image()
    const p1 = index([shared, shared], {digest: digest('p1')})
    const p2 = index([shared], {digest: digest('p2')})
    const closure = closeOverIndexChildren(byDigest([shared, p2, p1]), new Set([p2.digest, p1.digest]))
    expect(closure.keptParents.get(shared.digest)?.map((p) => p.digest)).toEqual([p1.digest, p2.digest].sort())
  })

  it('reports children a kept index lists that are not in the repository', () => {
    const parent = index([digest('gone')])
    const closure = closeOverIndexChildren(byDigest([parent]), new Set([parent.digest]))
    expect(closure.missingChildren).toEqual([{parent: parent.digest, child: digest('gone')}])
  })
})

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
