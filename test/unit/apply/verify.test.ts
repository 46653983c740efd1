import {describe, expect, it} from 'vitest'
import type {LiveRepositoryState} from '../../../src/model/registry.js'
import {verifyPullability} from '../../../src/apply/verify.js'
import {formatPullability} from '../../../src/render/apply-summary.js'
import type {LiveImage} from '../../../src/model/snapshot.js'

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const d = (name: string) => `sha256:${name.padEnd(64, '0')}`
const image = (name: string, tags: string[] = [], children?: string[]): LiveImage => ({
  digest: d(name),
  tags,
  pushedAt: '2025-01-01T00:00:00.000Z',
  sizeBytes: 1,
  ...(children ? {manifestMediaType: OCI_INDEX, manifest: {mediaType: OCI_INDEX, children: children.map(d)}} : {}),
})
const repo = (repository: string, images: LiveImage[]): LiveRepositoryState => ({repository, exists: true, images, lifecyclePolicy: null})

describe('verifyPullability (after apply)', () => {
  it('passes when every remaining index still has all its children', () => {
    const after = [repo('app', [image('a1'), image('a2'), image('idx', ['v2'], ['a1', 'a2'])])]
    const report = verifyPullability(new Map(after.map((state) => [state.repository, state])), after)
    expect(report).toEqual({repositories: 1, indexesChecked: 1, broken: []})
    expect(formatPullability(report)).toBe('Pullability check: 1 multi-arch index in 1 touched repository, every platform manifest present.')
  })

  it('blames the apply for a child that existed before and is gone now', () => {
    const before = repo('app', [image('a1'), image('a2'), image('idx', ['v2'], ['a1', 'a2'])])
    const after = [repo('app', [image('a1'), image('idx', ['v2'], ['a1', 'a2'])])]
    const report = verifyPullability(new Map([['app', before]]), after)
    expect(report.broken).toEqual([{repository: 'app', indexDigest: d('idx'), indexTags: ['v2'], missingChildren: [d('a2')], causedByApply: true}])
    expect(formatPullability(report)).toContain(`app@${d('idx')} (v2): ${d('a2')} deleted by this apply`)
  })

  it('reports, without blaming the apply, a child that was already missing', () => {
    const state = repo('app', [image('idx', [], ['gone'])])
    const report = verifyPullability(new Map([['app', state]]), [state])
    expect(report.broken).toHaveLength(1)
    expect(report.broken[0]?.causedByApply).toBe(false)
    expect(formatPullability(report)).toContain('already missing before this apply')
  })

  it('skips repositories the apply removed entirely', () => {
    const report = verifyPullability(new Map(), [{repository: 'gone', exists: false, images: [], lifecyclePolicy: null}])
    expect(report).toEqual({repositories: 0, indexesChecked: 0, broken: []})
  })
})
