import {describe, expect, it} from 'vitest'
import {recheckBatch} from '../../../src/apply/batch-recheck.js'
import {del, digest, image} from './builders.js'

const cosignTag = (subject: string) => `${subject.replace(':', '-')}.sig`
const byDigest = (images: ReturnType<typeof image>[]) => new Map(images.map((i) => [i.digest, i]))

describe('recheckBatch: the last look before a BatchDeleteImage', () => {
  const batch = [del('app', digest(1), ['v1']), del('app', digest(2))]
  const first = [image(digest(1), ['v1']), image(digest(2))]

  it('gone is done; changed tags are stale; otherwise pending', () => {
    const verdicts = recheckBatch(batch, [image(digest(1), ['v1', 'hotfix'])], byDigest(first))
    expect(verdicts.get(digest(1))).toMatchObject({status: 'stale', code: 'TagsChanged'})
    expect(verdicts.get(digest(2))).toEqual({status: 'gone'})
    expect(recheckBatch(batch, first, byDigest(first)).get(digest(2))).toEqual({status: 'pending'})
  })

  it('a referrer the first read saw is not new (the checks before the apply judged it)', () => {
    const signature = image(digest(7), [cosignTag(digest(2))])
    const verdicts = recheckBatch(batch, [...first, signature], byDigest([...first, signature]))
    expect(verdicts.get(digest(2))).toEqual({status: 'pending'})
  })

  it('a new manifest subject, or a cosign tag moved onto a known image, is a new referrer', () => {
    const referrer = image(digest(7), [], {manifestMediaType: 'application/vnd.oci.image.manifest.v1+json', manifest: {mediaType: 'oci', subject: digest(1)}})
    const known = image(digest(8), ['old'])
    const retagged = image(digest(8), ['old', cosignTag(digest(2))])
    const verdicts = recheckBatch(batch, [...first, referrer, retagged], byDigest([...first, known]))
    expect(verdicts.get(digest(1))).toMatchObject({status: 'stale', code: 'ReferrerAdded'})
    expect(verdicts.get(digest(2))).toMatchObject({status: 'stale', code: 'ReferrerAdded'})
    expect((verdicts.get(digest(2)) as {why: string}).why).toContain(`signature sha256:000000000000 (tag ${cosignTag(digest(2))})`)
  })

  it('fails closed on an unreadable manifest of an image the first read did not see', () => {
    const unreadable = image(digest(9), [], {manifestError: 'BatchGetImage returned no manifest'})
    const verdicts = recheckBatch(batch, [...first, unreadable], byDigest(first))
    expect([...verdicts.values()].map((v) => v.status === 'stale' && v.code)).toEqual(['ManifestUnreadable', 'ManifestUnreadable'])
    // Known before (and judged then): not a reason now.
    expect(recheckBatch(batch, [...first, unreadable], byDigest([...first, unreadable])).get(digest(1))).toEqual({status: 'pending'})
  })
})
