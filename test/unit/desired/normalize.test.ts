import {describe, expect, it} from 'vitest'
import {parseDesiredState} from '../../../src/desired/load.js'
import {yaml} from './helpers.js'

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`
const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('normalized desired state', () => {
  const text = yaml(`
    version: 1
    registry:
      accountId: "123456789012"
      region: us-east-1
    defaults:
      gracePeriod: 48h
      maxDeletions: 500
    repositories:
      spaceport/sfm:
        gracePeriod: 3d
        keep:
          - tag: real-colmap-fixed-final
            reason: production SfM image used by the start_ml_job Lambda
          - tag: "20*-*"
            newest: 5
          - digest: ${DIGEST}
          - pushedWithin: 30d
          - pulledWithin: 90d
          - {tag: latest, tags: [stable, latest]}
      "spaceport/*":
        keep:
          - tag: latest
      spaceport-ml-sogs-compressor:
        keep: []
  `)
  const desired = parseDesiredState(text, 'desired-state/spaceport.yaml')

  it('keeps registry and defaults, with durations in ms', () => {
    expect(desired.version).toBe(1)
    expect(desired.registry).toEqual({accountId: '123456789012', region: 'us-east-1'})
    expect(desired.defaults).toEqual({gracePeriodMs: 48 * HOUR, maxDeletions: 500})
    expect(desired.files).toEqual(['desired-state/spaceport.yaml'])
  })

  it('lists entries in file order with their source and grace period', () => {
    expect(desired.entries.map((entry) => entry.pattern)).toEqual(['spaceport/sfm', 'spaceport/*', 'spaceport-ml-sogs-compressor'])
    expect(desired.entries[0]).toMatchObject({
      source: {file: 'desired-state/spaceport.yaml', line: 9, column: 3},
      gracePeriodMs: 3 * DAY,
    })
    expect(desired.entries[1]?.gracePeriodMs).toBeUndefined()
    expect(desired.entries[2]?.keep).toEqual([])
    expect(desired.entries[2]?.keepOmitted).toBeUndefined()
  })

  it('turns each keep rule into conditions with a stable, readable label', () => {
    const rules = desired.entries[0]!.keep
    expect(rules.map((rule) => rule.label)).toEqual([
      'spaceport/sfm keep[0] tag=real-colmap-fixed-final',
      'spaceport/sfm keep[1] tag=20*-* newest=5',
      'spaceport/sfm keep[2] digest=sha256:0123456789ab',
      'spaceport/sfm keep[3] pushedWithin=30d',
      'spaceport/sfm keep[4] pulledWithin=90d',
      'spaceport/sfm keep[5] tags=latest,stable',
    ])
    expect(rules[0]).toEqual({
      label: 'spaceport/sfm keep[0] tag=real-colmap-fixed-final',
      entry: 'spaceport/sfm',
      index: 0,
      source: {file: 'desired-state/spaceport.yaml', line: 12, column: 9},
      tags: ['real-colmap-fixed-final'],
      reason: 'production SfM image used by the start_ml_job Lambda',
    })
    expect(rules[1]).toMatchObject({tags: ['20*-*'], newest: 5})
    expect(rules[2]).toMatchObject({digests: [DIGEST]})
    expect(rules[3]).toMatchObject({pushedWithinMs: 30 * DAY})
    expect(rules[4]).toMatchObject({pulledWithinMs: 90 * DAY})
    expect(rules[4]).not.toHaveProperty('tags')
  })

  it('merges tag with tags (and digest with digests), dropping repeats', () => {
    expect(desired.entries[0]!.keep[5]?.tags).toEqual(['latest', 'stable'])
    const other = parseDesiredState(
      yaml(`
        version: 1
        repositories:
          app:
            keep: [{digest: ${DIGEST}, digests: ["sha256:${'f'.repeat(64)}"]}]
      `),
      'x.yaml',
    )
    expect(other.entries[0]!.keep[0]?.digests).toEqual([DIGEST, `sha256:${'f'.repeat(64)}`])
  })

  it('defaults the grace period to 24h and leaves registry out when not given', () => {
    const minimal = parseDesiredState('version: 1\nrepositories:\n  app: {keep: []}\n', 'x.yaml')
    expect(minimal.defaults).toEqual({gracePeriodMs: 24 * HOUR})
    expect(minimal).not.toHaveProperty('registry')
  })

  it('marks entries that only manage lifecycle, and keeps the policy with its source', () => {
    const state = parseDesiredState(
      yaml(`
        version: 1
        repositories:
          sagemaker-unzip:
            lifecycle: none
          "spaceport/*":
            lifecycle:
              rules:
                - rulePriority: 1
                  description: Keep only 10 most recent images
                  selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 10}
                  action: {type: expire}
            acceptLifecycleConflicts: ["dev-*", "${DIGEST}"]
      `),
      'x.yaml',
    )
    expect(state.entries[0]).toMatchObject({pattern: 'sagemaker-unzip', keep: [], keepOmitted: true, lifecycle: 'none'})
    expect(state.entries[0]?.lifecycleSource).toEqual({file: 'x.yaml', line: 4, column: 5})
    expect(state.entries[1]?.lifecycle).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: 'Keep only 10 most recent images',
          selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10},
          action: {type: 'expire'},
        },
      ],
    })
    expect(state.entries[1]?.acceptLifecycleConflicts).toEqual(['dev-*', DIGEST])
  })

  it('is deterministic', () => {
    expect(parseDesiredState(text, 'desired-state/spaceport.yaml')).toEqual(desired)
  })
})

describe('desired-state hash', () => {
  const base = 'version: 1\nrepositories:\n  app: {keep: []}\n'

  it('is the same for the same text, whatever directory the file is named from', () => {
    expect(parseDesiredState(base, 'a/x.yaml').sha256).toBe(parseDesiredState(base, 'b/c/x.yaml').sha256)
    expect(parseDesiredState(base, 'x.yaml').sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('changes with any edit, even whitespace or a comment, and with the file name', () => {
    const hash = parseDesiredState(base, 'x.yaml').sha256
    expect(parseDesiredState(base.replace('{keep', '{ keep'), 'x.yaml').sha256).not.toBe(hash)
    expect(parseDesiredState(`${base}# note\n`, 'x.yaml').sha256).not.toBe(hash)
    expect(parseDesiredState(base, 'y.yaml').sha256).not.toBe(hash)
  })
})
