import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import type {LiveSnapshot} from '../../../src/model/snapshot.js'
import {parseSnapshot, readSnapshotFile, serializeSnapshot, writeSnapshotFile} from '../../../src/registry/snapshot-file.js'

const d = (c: string) => `sha256:${c.repeat(64)}`
const snapshot = (): LiveSnapshot => ({
  kind: 'ecrctl-live-snapshot',
  formatVersion: 1,
  takenAt: '2025-01-31T12:00:00.000Z',
  registry: {accountId: '123456789012', region: 'us-east-1'},
  repositories: [
    {name: 'z', lifecyclePolicy: null, imagesRead: false, images: []},
    {
      name: 'a',
      lifecyclePolicy: '{"rules":[]}',
      imagesRead: true,
      images: [
        {digest: d('b'), tags: ['v2', 'latest'], pushedAt: '2025-01-02T00:00:00.000Z', sizeBytes: 5},
        {digest: d('a'), tags: [], pushedAt: '2025-01-01T00:00:00.000Z', sizeBytes: 7, manifest: {mediaType: 'x', children: [d('c'), d('b')]}},
      ],
    },
  ],
})

describe('serializeSnapshot', () => {
  it('sorts repositories, images, tags and keys, so equal registries give equal bytes', () => {
    const text = serializeSnapshot(snapshot())
    const parsed = JSON.parse(text) as LiveSnapshot
    expect(parsed.repositories.map((r) => r.name)).toEqual(['a', 'z'])
    expect(parsed.repositories[0]!.images.map((i) => i.digest)).toEqual([d('a'), d('b')])
    expect(parsed.repositories[0]!.images[1]!.tags).toEqual(['latest', 'v2'])
    expect(parsed.repositories[0]!.images[0]!.manifest!.children).toEqual([d('b'), d('c')])
    expect(Object.keys(parsed)).toEqual(['formatVersion', 'kind', 'registry', 'repositories', 'takenAt'])
    expect(text.endsWith('}\n')).toBe(true)
    const reversed = snapshot()
    reversed.repositories.reverse()
    expect(serializeSnapshot(reversed)).toBe(text)
  })
})

describe('snapshot files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecrctl-snapshot-'))

  it('round-trips through a file', async () => {
    const path = join(dir, 'live.json')
    await writeSnapshotFile(path, snapshot())
    const read = await readSnapshotFile(path)
    expect(serializeSnapshot(read)).toBe(readFileSync(path, 'utf8'))
  })

  it('reads the bundled example', async () => {
    const live = await readSnapshotFile('examples/spaceport/live-state.json')
    expect(live.repositories.map((r) => r.name)).toContain('spaceport/sfm')
  })

  const refusal = (text: string) => {
    try {
      parseSnapshot(text, 'live.json')
    } catch (error) {
      expect(error).toBeInstanceOf(EcrctlError)
      return (error as EcrctlError).format()
    }
    throw new Error('expected a refusal')
  }

  it('refuses bad JSON, other kinds, other versions and malformed content, naming the file', () => {
    expect(refusal('{"kind": "ecrctl-live')).toMatch(/^live\.json is not valid JSON/)
    expect(refusal('{"kind": "ecrctl-plan"}')).toMatch(/live\.json is not an ecrctl live-state snapshot.*saved plan/)
    expect(refusal(JSON.stringify({...snapshot(), formatVersion: 2}))).toMatch(/live\.json was made by a newer ecrctl \(format 2\); upgrade ecrctl/)
    expect(refusal(JSON.stringify({...snapshot(), formatVersion: 'one'}))).toMatch(/live\.json has an unknown live-state snapshot format \("one"\).*ecrctl snapshot --out/)
    const bad = snapshot()
    ;(bad.repositories[1]!.images[0] as {digest: string}).digest = 'sha256:nothex'
    expect(refusal(JSON.stringify(bad))).toMatch(
      /live\.json is not a valid ecrctl live-state snapshot: its structure is wrong\. repositories\[1\]\.images\[0\]\.digest: not a sha256 digest/,
    )
    expect(refusal(JSON.stringify({...snapshot(), extra: 1}))).toMatch(/\(document\): Unrecognized key: "extra"/)
  })

  it('refuses times without a zone, as the planner does (they would be read in local time)', () => {
    const zoneless = '2025-01-02T00:00:00'
    const withTime = (edit: (snap: LiveSnapshot) => void): string => {
      const snap = snapshot()
      edit(snap)
      return JSON.stringify(snap)
    }
    expect(refusal(withTime((snap) => (snap.repositories[1]!.images[0]!.pushedAt = zoneless)))).toMatch(
      /repositories\[1\]\.images\[0\]\.pushedAt: not an ISO-8601 time with a zone/,
    )
    expect(refusal(withTime((snap) => (snap.repositories[1]!.images[1]!.lastPulledAt = zoneless)))).toMatch(
      /repositories\[1\]\.images\[1\]\.lastPulledAt: not an ISO-8601 time with a zone/,
    )
    expect(refusal(withTime((snap) => (snap.takenAt = zoneless)))).toMatch(/takenAt: not an ISO-8601 time with a zone/)
    // A non-ISO form Date.parse reads in local time is refused too; a plain date (UTC midnight) is not.
    expect(refusal(withTime((snap) => (snap.repositories[1]!.images[0]!.pushedAt = 'Jan 2 2025 00:00')))).toMatch(/pushedAt: not an ISO-8601 time/)
    expect(parseSnapshot(withTime((snap) => (snap.repositories[1]!.images[0]!.pushedAt = '2025-01-02')), 'live.json').repositories[1]!.images[0]!.pushedAt).toBe('2025-01-02')
  })

  it('names a missing file', async () => {
    const missing = join(dir, 'nope.json')
    await expect(readSnapshotFile(missing)).rejects.toThrow(`Cannot read the live-state snapshot file ${missing} (ENOENT)`)
    writeFileSync(join(dir, 'empty.json'), '')
    await expect(readSnapshotFile(join(dir, 'empty.json'))).rejects.toThrow(/is not valid JSON/)
  })
})
