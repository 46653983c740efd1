/**
 * The plan holds reasons as data; the renderers word them. Each code's words, ages measured from
 * the plan's evaluation time, related images named by their short digest and tags, and the same
 * words in text and markdown (one view model feeds both).
 */
import {describe, expect, it} from 'vitest'
import type {InUseReasonReference, Reason} from '../../../src/model/plan.js'
import {sealPlan} from '../../../src/planfile/seal.js'
import {renderMarkdown} from '../../../src/render/markdown.js'
import {type ReasonContext, reasonText} from '../../../src/render/reasons.js'
import {renderText} from '../../../src/render/text.js'
import {repositoryViewModels} from '../../../src/render/view-model.js'
import {buildPlan, deleteImage, digestOf, keptImage} from '../planfile/plan-builders.js'

const EVALUATED = Date.parse('2025-03-01T00:00:00.000Z')
const parent = digestOf('parent')
const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12)
const context = (imagePushedAt: string, tags: Record<string, string[]> = {[parent]: ['v2', 'latest']}): ReasonContext => ({
  imagePushedAt,
  evaluatedMs: EVALUATED,
  short,
  tagsOf: (digest) => tags[digest],
})
const words = (reason: Reason, pushedAt = '2024-12-01T00:00:00.000Z') => reasonText(reason, context(pushedAt))

describe('reason words', () => {
  it('keepRule: the label, the rank of a newest rule, and the user’s own reason', () => {
    expect(words({code: 'keepRule', entry: 'app', index: 0, rule: 'app keep[0] tag=v*'})).toBe('keep rule app keep[0] tag=v*')
    expect(words({code: 'keepRule', entry: 'app', index: 1, matching: 7, newest: 3, rank: 2, reason: 'nightlies', rule: 'app keep[1] newest=3'})).toBe(
      'keep rule app keep[1] newest=3 (#2 of the newest 3; 7 images match): nightlies',
    )
  })

  it('gracePeriod: the age from the evaluation time, or clock skew for an image pushed after it', () => {
    expect(words({code: 'gracePeriod', gracePeriodMs: 86_400_000}, '2025-02-28T21:00:00.000Z')).toBe('pushed 3 hours ago, within the 1d grace period')
    expect(words({code: 'gracePeriod', gracePeriodMs: 7 * 86_400_000}, '2025-03-04T00:00:00.000Z')).toBe(
      'pushed 2025-03-04T00:00:00.000Z, after the evaluation time (clock skew?); kept as within the 7d grace period',
    )
  })

  it('noKeepRule: the push date and the age', () => {
    expect(words({code: 'noKeepRule'})).toBe('no keep rule matches; pushed 2024-12-01 (90 days ago)')
  })

  it('graph reasons name the related image by short digest and tags, and how the edge was learned', () => {
    expect(words({code: 'indexChild', relatedDigest: parent})).toBe(`child of kept index ${short(parent)} (tags v2, latest)`)
    expect(words({code: 'childOfDeletedIndex', relatedDigest: parent})).toBe(`child of deleted index ${short(parent)} (tags v2, latest)`)
    expect(words({code: 'referrerOfKept', kind: 'attestation', relatedDigest: parent, via: 'cosign tag'})).toBe(
      `attestation of kept image ${short(parent)} (tags v2, latest), via its cosign tag (.att)`,
    )
    expect(words({code: 'subjectOfKept', kind: 'SBOM', relatedDigest: parent, via: 'subjectManifestDigest'})).toBe(
      `subject of kept SBOM ${short(parent)} (tags v2, latest), via ECR's subjectManifestDigest`,
    )
    expect(words({code: 'orphanReferrer', kind: 'signature', relatedDigest: parent, subjectInRepository: true, via: 'manifest subject'})).toBe(
      `signature of deleted image ${short(parent)} (tags v2, latest), via the manifest's subject`,
    )
    const gone = digestOf('gone')
    expect(words({code: 'orphanReferrer', kind: 'signature', relatedDigest: gone, subjectInRepository: false, via: 'cosign tag'})).toBe(
      `signature of ${short(gone)}, which is not in the repository, via its cosign tag (.sig)`,
    )
  })

  it('manifestUnreadable: the first unreadable manifest, its problem, and how many there are', () => {
    expect(words({code: 'manifestUnreadable', problem: 'not JSON', relatedDigest: parent, unreadableCount: 1})).toBe(
      `the manifest of ${short(parent)} could not be read (not JSON), and it might reference this image; kept until the manifest can be read`,
    )
    expect(words({code: 'manifestUnreadable', problem: 'not JSON', relatedDigest: parent, unreadableCount: 3})).toMatch(
      new RegExp(`^the manifests of 3 images could not be read \\(first: ${short(parent)}, not JSON\\)`),
    )
  })

  it('inUse: each reference as resource (source field: text), the first three, then how many more', () => {
    const reference = (n: number): InUseReasonReference => ({source: 'ecs', resource: `arn:task/web:${n}`, field: 'containerDefinitions[0].image', text: `web:v${n}`})
    expect(words({code: 'inUse', references: [reference(1)]})).toBe('in use: arn:task/web:1 (ecs containerDefinitions[0].image: web:v1)')
    expect(words({code: 'inUse', references: [1, 2, 3, 4, 5].map(reference)})).toBe(
      'in use: arn:task/web:1 (ecs containerDefinitions[0].image: web:v1), arn:task/web:2 (ecs containerDefinitions[0].image: web:v2), ' +
        'arn:task/web:3 (ecs containerDefinitions[0].image: web:v3) and 2 more',
    )
  })
})

describe('one view model for text and markdown', () => {
  const index = keptImage({repository: 'app', name: 'index', tags: ['v2']})
  const inUse: Reason = {code: 'inUse', references: [{source: 'kubernetes', resource: 'prod/web-0', field: 'spec.containers[0].image', text: 'app:v2'}]}
  const plan = () => {
    const unsealed = buildPlan({
      actions: [deleteImage({repository: 'app', name: 'old', tags: ['v1'], pushedAt: '2024-12-01T00:00:00.000Z'})],
      kept: [
        {...index, reasons: [{code: 'keepRule', entry: 'app', index: 0, rule: 'app keep[0] tag=v2'}, inUse]},
        keptImage({repository: 'app', name: 'child', reasons: [{code: 'indexChild', relatedDigest: index.imageDigest}]}),
      ],
    })
    unsealed.summary.imagesKeptInUse = 1
    return sealPlan(unsealed)
  }

  it('words every row once, and both renderers print the same words', () => {
    const [view] = [...repositoryViewModels(plan())]
    const reasons = [...view!.active].map((row) => row.reasons)
    expect(reasons).toEqual([
      'no keep rule matches; pushed 2024-12-01 (90 days ago)',
      'keep rule app keep[0] tag=v2; in use: prod/web-0 (kubernetes spec.containers[0].image: app:v2)',
      `child of kept index ${short(index.imageDigest)} (tag v2)`,
    ])
    const text = renderText(plan(), {color: false})
    const markdown = renderMarkdown(plan())
    for (const line of reasons) {
      expect(text).toContain(line)
      expect(markdown).toContain(line)
    }
  })

  it('counts kept images in use in the summary when the plan has the figure, and not otherwise', () => {
    expect(renderText(plan(), {color: false})).toContain('; keep 2 (1 in use).')
    expect(renderMarkdown(plan())).toContain('; keep 2 (1 in use).')
    const without = sealPlan(buildPlan({kept: [keptImage({repository: 'app', name: 'x'})]}))
    expect(renderText(without, {color: false})).toContain('keeping 1 image in 1 managed repository.')
  })
})
