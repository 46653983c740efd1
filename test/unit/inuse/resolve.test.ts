import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {ImageReference, InUseEvidence} from '../../../src/model/in-use.js'
import type {LiveImage, LiveSnapshot} from '../../../src/model/snapshot.js'
import {resolveInUse} from '../../../src/inuse/resolve.js'
import {digest, image, repo, snapshot} from '../../support/builders.js'

const THIS = {accountId: '123456789012', region: 'us-east-1'}
const at = (resource: string, source: InUseEvidence['source'] = 'code'): InUseEvidence => ({source, resource, field: 'column 1'})
const ref = (fields: Partial<ImageReference> & {repository: string}, resource = 'a.py:1'): ImageReference => ({text: 'x', evidence: at(resource), ...fields})

describe('resolveInUse', () => {
  const prod = image({digest: digest('prod'), tags: ['real-colmap-fixed-final']})
  const latest = image({digest: digest('latest'), tags: ['latest']})
  const live = snapshot([repo('spaceport/sfm', [prod, latest]), repo('unmanaged', [], {imagesRead: false})])

  it("keeps the image a tag points at and a digest names, with every reference's evidence", () => {
    const result = resolveInUse(
      [
        ref({repository: 'spaceport/sfm', tag: 'real-colmap-fixed-final'}, 'start_ml_job/lambda_function.py:101'),
        ref({registry: THIS, repository: 'spaceport/sfm', digest: prod.digest}, 'arn:aws:ecs:task/1'),
        ref({repository: 'spaceport/sfm', tag: 'latest'}, 'tests/test_sfm.py:3'),
      ],
      live,
    )
    expect(result.repositories).toEqual([
      {
        repository: 'spaceport/sfm',
        images: [
          {digest: latest.digest, references: [ref({repository: 'spaceport/sfm', tag: 'latest'}, 'tests/test_sfm.py:3')]},
          {
            digest: prod.digest,
            references: [
              ref({repository: 'spaceport/sfm', tag: 'real-colmap-fixed-final'}, 'start_ml_job/lambda_function.py:101'),
              ref({registry: THIS, repository: 'spaceport/sfm', digest: prod.digest}, 'arn:aws:ecs:task/1'),
            ],
          },
        ].sort((a, b) => (a.digest < b.digest ? -1 : 1)),
      },
    ])
    expect(result.broken).toEqual([])
  })

  it('resolves a tag-and-digest reference by its digest alone', () => {
    const both = ref({repository: 'spaceport/sfm', tag: 'latest', digest: prod.digest})
    expect(resolveInUse([both], live).repositories[0]!.images.map((i) => i.digest)).toEqual([prod.digest])
    const staleDigest = ref({repository: 'spaceport/sfm', tag: 'latest', digest: digest('gone')})
    expect(resolveInUse([staleDigest], live)).toMatchObject({repositories: [], broken: [{problem: 'digestNotFound', reference: staleDigest}]})
  })

  it('warns about references to what does not exist, counts other registries, and sets aside unread repositories', () => {
    const result = resolveInUse(
      [
        ref({repository: 'spaceport/sfm', tag: 'v0'}),
        ref({registry: THIS, repository: 'spaceport/gone', tag: 'latest'}),
        ref({registry: {...THIS, region: 'eu-west-1'}, repository: 'spaceport/sfm', tag: 'latest'}),
        ref({registry: {...THIS, accountId: '999999999999'}, repository: 'x', tag: 'y'}),
        ref({repository: 'unmanaged', tag: 'v1'}),
      ],
      live,
    )
    expect(result.repositories).toEqual([])
    expect(result.broken.map((b) => [b.problem, b.reference.repository])).toEqual([
      ['repositoryNotFound', 'spaceport/gone'],
      ['tagNotFound', 'spaceport/sfm'],
    ])
    expect(result.otherRegistryReferences).toBe(2)
    expect(result.unread.map((r) => r.repository)).toEqual(['unmanaged'])
    expect(result.registry).toEqual(THIS)
  })

  it('lists a reference found twice once', () => {
    const once = ref({repository: 'spaceport/sfm', tag: 'latest'})
    expect(resolveInUse([once, {...once, evidence: {...once.evidence}}], live).repositories[0]!.images[0]!.references).toEqual([once])
  })
})

describe('resolveInUse on random registries and references', () => {
  const TAGS = ['latest', 'v1', 'v2', 'prod', 'real-colmap-fixed-final']
  const NAMES = ['spaceport/sfm', 'spaceport/3dgs', 'sfm', 'app']
  const DIGESTS = Array.from({length: 10}, (_, i) => digest(`random-${i}`))

  const repository = fc.record({
    name: fc.constantFrom(...NAMES),
    imagesRead: fc.integer({min: 0, max: 3}).map((roll) => roll !== 0),
    images: fc.uniqueArray(fc.record({digest: fc.constantFrom(...DIGESTS), tags: fc.subarray(TAGS)}), {selector: (i) => i.digest, maxLength: 6}),
  })
  const registry = fc.uniqueArray(repository, {selector: (r) => r.name, maxLength: 4}).map((repositories): LiveSnapshot => {
    // A tag is on at most one image of a repository, as in ECR.
    const built = repositories.map((r) => {
      const taken = new Set<string>()
      const images: LiveImage[] = r.images.map((i) => ({
        digest: i.digest,
        tags: i.tags.filter((t) => !taken.has(t) && taken.add(t)),
        pushedAt: '2025-01-01T00:00:00.000Z',
        sizeBytes: 1,
      }))
      return repo(r.name, r.imagesRead ? images : [], {imagesRead: r.imagesRead})
    })
    return snapshot(built)
  })
  const reference: fc.Arbitrary<ImageReference> = fc
    .record({
      registry: fc.constantFrom(undefined, THIS, {accountId: '210987654321', region: 'us-east-1'}, {accountId: THIS.accountId, region: 'eu-west-1'}),
      repository: fc.constantFrom(...NAMES, 'missing'),
      tag: fc.option(fc.constantFrom(...TAGS, 'nope'), {nil: undefined}),
      digest: fc.option(fc.constantFrom(...DIGESTS), {nil: undefined}),
      resource: fc.constantFrom('a.py:1', 'b.py:2', 'arn:aws:lambda:f'),
    })
    .filter((r) => r.tag !== undefined || r.digest !== undefined)
    .map(({registry: address, resource, ...fields}) => ({
      ...(address ? {registry: address} : {}),
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      text: 'x',
      evidence: at(resource),
    }) as ImageReference)

  it('keeps exactly the referenced existing images, and accounts for every other reference once', () => {
    fc.assert(
      fc.property(registry, fc.array(reference, {maxLength: 12}), (live, references) => {
        const result = resolveInUse(references, live)
        // The oracle: each reference on its own, looked up the slow way.
        const expectedKept = new Set<string>()
        const expectedBroken = new Set<string>()
        const key = (r: ImageReference) => JSON.stringify(r)
        let other = 0
        let unread = 0
        const distinct = [...new Map(references.map((r) => [key(r), r])).values()]
        for (const r of distinct) {
          if (r.registry && (r.registry.accountId !== THIS.accountId || r.registry.region !== THIS.region)) {
            other++
            continue
          }
          const repository = live.repositories.find((x) => x.name === r.repository)
          if (!repository) expectedBroken.add(`repositoryNotFound ${key(r)}`)
          else if (!repository.imagesRead) unread++
          else {
            const hit = repository.images.find((i) => (r.digest !== undefined ? i.digest === r.digest : i.tags.includes(r.tag!)))
            if (hit) expectedKept.add(`${repository.name} ${hit.digest} ${key(r)}`)
            else expectedBroken.add(`${r.digest !== undefined ? 'digestNotFound' : 'tagNotFound'} ${key(r)}`)
          }
        }
        const actualKept = result.repositories.flatMap((r) => r.images.flatMap((i) => i.references.map((x) => `${r.repository} ${i.digest} ${key(x)}`)))
        expect(new Set(actualKept)).toEqual(expectedKept)
        expect(actualKept).toHaveLength(expectedKept.size)
        expect(new Set(result.broken.map((b) => `${b.problem} ${key(b.reference)}`))).toEqual(expectedBroken)
        expect(result.otherRegistryReferences).toBe(other)
        expect(result.unread).toHaveLength(unread)
        // Nothing unreferenced: every kept image exists in the snapshot.
        for (const r of result.repositories) {
          const images = live.repositories.find((x) => x.name === r.repository)!.images
          for (const i of r.images) expect(images.some((x) => x.digest === i.digest)).toBe(true)
        }
        // Order does not depend on input order.
        expect(resolveInUse([...references].reverse(), live)).toEqual(result)
      }),
      {numRuns: 500},
    )
  })
})
