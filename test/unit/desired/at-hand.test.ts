/** Which desired state apply re-derives from: `-f` when given, else desired-state/ when it exists, else none. */
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadDesiredStateAtHand} from '../../../src/desired/load.js'

const TEXT = 'version: 1\nrepositories:\n  app:\n    keep: []\n'

describe('loadDesiredStateAtHand', () => {
  it('is undefined without -f when desired-state/ does not exist', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ecrctl-at-hand-'))
    expect(await loadDesiredStateAtHand(undefined, {cwd})).toBeUndefined()
  })

  it('reads desired-state/ without -f when it exists, and -f when given', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ecrctl-at-hand-'))
    mkdirSync(join(cwd, 'desired-state'))
    writeFileSync(join(cwd, 'desired-state', 'app.yaml'), TEXT)
    writeFileSync(join(cwd, 'other.yaml'), TEXT.replace('app', 'web'))
    expect((await loadDesiredStateAtHand(undefined, {cwd}))?.files).toEqual(['desired-state/app.yaml'])
    expect((await loadDesiredStateAtHand('other.yaml', {cwd}))?.files).toEqual(['other.yaml'])
  })

  it('refuses a -f that does not exist rather than falling back to nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ecrctl-at-hand-'))
    await expect(loadDesiredStateAtHand('missing.yaml', {cwd})).rejects.toThrow(/Desired state not found: missing.yaml/)
  })
})
