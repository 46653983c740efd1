import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {EcrctlError} from '../../../src/errors.js'
import {parseSnapshot, snapshotImageSchema} from '../../../src/registry/snapshot-file.js'
import {isValidSnapshotImage} from '../../../src/registry/snapshot-image-check.js'

const digest = (c: string) => `sha256:${c.repeat(64)}`
const snapshotWith = (image: unknown) =>
  JSON.stringify({
    kind: 'ecrctl-live-snapshot',
    formatVersion: 1,
    takenAt: '2025-01-31T12:00:00.000Z',
    registry: {accountId: '123456789012', region: 'us-east-1'},
    repositories: [{name: 'r', lifecyclePolicy: null, imagesRead: true, images: [image]}],
  })

const schemaAccepts = (image: unknown): boolean => snapshotImageSchema.safeParse(image).success

/**
 * Images that are mostly valid, each field sometimes wrong (type, format, range) and optional
 * fields sometimes absent, so that both answers come up often (checked below: the test has teeth).
 */
const oneOf = <T>(...values: T[]) => fc.constantFrom(...values)
const wrong = oneOf<unknown>(null, 1, -1, 1.5, 2 ** 60, '', 'x', 'sha256:abc', [], {}, true, 'not a time', [''], ['ok', 3], {digest: digest('a')}, 'DELETED')
const usually = (valid: fc.Arbitrary<unknown>) => fc.oneof({weight: 15, arbitrary: valid}, {weight: 1, arbitrary: wrong})
/** An unexpected key, now and then. */
const rarely = (value: unknown) => fc.oneof({weight: 15, arbitrary: fc.constant(undefined)}, {weight: 1, arbitrary: fc.constant(value)})
const optional = (valid: fc.Arbitrary<unknown>) => fc.option(usually(valid), {nil: undefined, freq: 2})
const time = oneOf('2025-01-01T00:00:00.000Z', '2025-01-01', 'Wed, 01 Jan 2025 00:00:00 GMT')
const digests = fc.array(usually(oneOf(digest('a'), digest('b'))), {maxLength: 3})
const blob = fc.record({digest: usually(oneOf(digest('d'))), sizeBytes: usually(oneOf(0, 10)), extra: rarely(1)})
const manifest = fc.record({
  mediaType: usually(oneOf('application/vnd.oci.image.index.v1+json')),
  children: optional(digests),
  subject: optional(oneOf(digest('c'))),
  blobs: optional(fc.array(usually(blob), {maxLength: 2})),
  other: rarely(1),
})
const image = fc.record({
  digest: usually(oneOf(digest('e'), digest('f'))),
  tags: usually(fc.array(usually(oneOf('latest', 'v1')), {maxLength: 3})),
  pushedAt: usually(time),
  sizeBytes: usually(oneOf(0, 42, 5e8)),
  lastPulledAt: optional(time),
  lastArchivedAt: optional(time),
  lastActivatedAt: optional(time),
  manifestMediaType: optional(oneOf('application/vnd.docker.distribution.manifest.v2+json')),
  artifactMediaType: optional(oneOf('application/vnd.dev.cosign.artifact.sig.v1+json')),
  manifestError: optional(oneOf('AccessDenied')),
  subjectDigest: optional(oneOf(digest('9'))),
  status: optional(oneOf('ACTIVE', 'ARCHIVED', 'ACTIVATING')),
  manifest: optional(manifest),
  unexpected: rarely(1),
})
/** JSON has no undefined: drop the absent fields as the file would. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

describe('isValidSnapshotImage (the fast path of reading a snapshot)', () => {
  it('says valid only for images the snapshot schema accepts', () => {
    let accepted = 0
    let refused = 0
    fc.assert(
      fc.property(image, (candidate) => {
        const json = asJson(candidate)
        if (schemaAccepts(json)) accepted += 1
        else refused += 1
        if (isValidSnapshotImage(json)) expect(schemaAccepts(json)).toBe(true)
      }),
      {numRuns: 3000},
    )
    expect(Math.min(accepted, refused)).toBeGreaterThan(300)
  })

  it('says valid for every image the schema accepts, so large snapshots are not copied by zod', () => {
    fc.assert(
      fc.property(image, (candidate) => {
        const json = asJson(candidate)
        if (schemaAccepts(json)) expect(isValidSnapshotImage(json)).toBe(true)
      }),
      {numRuns: 3000},
    )
  })

  it('is not sure about times without a zone, which the schema refuses', () => {
    const base = {digest: digest('a'), tags: [], pushedAt: '2025-01-01T00:00:00Z', sizeBytes: 1}
    expect(isValidSnapshotImage(base)).toBe(true)
    for (const time of ['2025-01-01T00:00:00', '2025-01-01T00:00:00.000', 'Wed, 01 Jan 2025 00:00:00 GMT', '2025-02-30']) {
      expect(isValidSnapshotImage({...base, pushedAt: time}), time).toBe(false)
      expect(isValidSnapshotImage({...base, lastPulledAt: time}), time).toBe(false)
      expect(schemaAccepts({...base, pushedAt: time}), time).toBe(false)
    }
  })

  it('still reports the path of the first problem through the schema', () => {
    const refusal = (image: unknown): string => {
      try {
        parseSnapshot(snapshotWith(image), 'live.json')
      } catch (error) {
        return (error as EcrctlError).format()
      }
      throw new Error('the snapshot was accepted')
    }
    expect(refusal({digest: digest('a'), tags: [], pushedAt: 'yesterday', sizeBytes: 1})).toMatch(
      /repositories\[0\]\.images\[0\]\.pushedAt: not an ISO-8601 time/,
    )
    expect(refusal({digest: digest('a'), tags: [], pushedAt: '2025-01-01', sizeBytes: 1, extra: 1})).toMatch(
      /repositories\[0\]\.images\[0\]: Unrecognized key: "extra"/,
    )
  })
})
