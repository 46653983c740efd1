import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import {DesiredStateError} from '../../../src/desired/issues.js'
import {loadDesiredState} from '../../../src/desired/load.js'
import {brief, yaml} from './helpers.js'

let cwd: string

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'ecrctl-desired-'))
  await mkdir(join(cwd, 'desired-state'))
})

afterEach(async () => {
  await rm(cwd, {recursive: true, force: true})
})

const write = (name: string, text: string) => writeFile(join(cwd, name), text)

async function rejection(path: string): Promise<EcrctlError> {
  const error = await loadDesiredState(path, {cwd}).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(EcrctlError)
  return error as EcrctlError
}

async function issues(path: string) {
  const error = await rejection(path)
  expect(error).toBeInstanceOf(DesiredStateError)
  return (error as DesiredStateError).issues
}

describe('loading a directory', () => {
  it('reads *.yaml and *.yml in name order, not subdirectories or other files, and merges their entries', async () => {
    await write('desired-state/20-spaceport.yml', 'version: 1\nrepositories:\n  "spaceport/*": {keep: [tag: latest]}\n')
    await write('desired-state/10-legacy.yaml', 'version: 1\nrepositories:\n  legacy: {keep: []}\n')
    await write('desired-state/00-registry.yaml', 'version: 1\nregistry: {accountId: "123456789012", region: us-east-1}\n')
    await write('desired-state/README.md', 'not yaml: [')
    await mkdir(join(cwd, 'desired-state/old.yaml'))
    await mkdir(join(cwd, 'desired-state/nested'))
    await write('desired-state/nested/x.yaml', 'not: valid')

    const desired = await loadDesiredState('desired-state', {cwd})
    expect(desired.files).toEqual([
      'desired-state/00-registry.yaml',
      'desired-state/10-legacy.yaml',
      'desired-state/20-spaceport.yml',
    ])
    expect(desired.entries.map((entry) => entry.pattern)).toEqual(['legacy', 'spaceport/*'])
    expect(desired.entries[1]?.source).toEqual({file: 'desired-state/20-spaceport.yml', line: 3, column: 3})
    expect(desired.registry).toEqual({accountId: '123456789012', region: 'us-east-1'})
  })

  it('hashes the same content the same whether loaded from the directory or from a parent', async () => {
    await write('desired-state/a.yaml', 'version: 1\nrepositories:\n  app: {keep: []}\n')
    const fromRoot = await loadDesiredState('desired-state', {cwd})
    const fromInside = await loadDesiredState('.', {cwd: join(cwd, 'desired-state')})
    expect(fromInside.files).toEqual(['a.yaml'])
    expect(fromInside.sha256).toBe(fromRoot.sha256)
  })

  it('collects the errors of every file in one error', async () => {
    await write('desired-state/a.yaml', 'version: 1\nrepositories:\n  app: {keep: [tga: x]}\n')
    await write('desired-state/b.yaml', 'version: 1\nrepositories:\n  other: {keep: [pushedWithin: soon]}\n')
    const found = await issues('desired-state')
    expect(found.map((issue) => `${issue.file}:${issue.line}:${issue.column}`)).toEqual([
      'desired-state/a.yaml:3:16',
      'desired-state/b.yaml:3:32',
    ])
  })

  it('refuses a repository declared in two files, naming both places', async () => {
    await write('desired-state/a.yaml', 'version: 1\nrepositories:\n  spaceport/sfm: {keep: [tag: latest]}\n')
    await write('desired-state/b.yaml', yaml(`
      version: 1
      repositories:
        other: {keep: []}
        spaceport/sfm: {keep: []}
    `))
    const found = await issues('desired-state')
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({file: 'desired-state/b.yaml', line: 4, column: 3, path: 'repositories."spaceport/sfm"'})
    expect(found[0]?.message).toContain('first declared at desired-state/a.yaml:3:3')
  })

  it('refuses registry guards that disagree, but accepts repeats and a guard split over files', async () => {
    await write('desired-state/a.yaml', 'version: 1\nregistry: {accountId: "123456789012"}\n')
    await write('desired-state/b.yaml', 'version: 1\nregistry: {accountId: "123456789012", region: eu-west-1}\n')
    expect((await loadDesiredState('desired-state', {cwd})).registry).toEqual({accountId: '123456789012', region: 'eu-west-1'})

    await write('desired-state/c.yaml', 'version: 1\nregistry:\n  accountId: "210987654321"\n')
    const found = await issues('desired-state')
    expect(brief(found)).toEqual([
      '3:14 registry.accountId: "210987654321" contradicts "123456789012" set at desired-state/a.yaml:2:23; files in one desired state must agree',
    ])
    expect(found[0]?.file).toBe('desired-state/c.yaml')
  })

  it('treats equal durations written differently as agreeing defaults', async () => {
    await write('desired-state/a.yaml', 'version: 1\ndefaults: {gracePeriod: 24h}\n')
    await write('desired-state/b.yaml', 'version: 1\ndefaults: {gracePeriod: 1d}\n')
    expect((await loadDesiredState('desired-state', {cwd})).defaults.gracePeriodMs).toBe(86_400_000)
    await write('desired-state/c.yaml', 'version: 1\ndefaults: {gracePeriod: 2d}\n')
    expect(brief(await issues('desired-state'))[0]).toMatch(/^2:25 defaults.gracePeriod: "2d" contradicts "24h"/)
  })

  it('refuses a directory without desired-state files', async () => {
    await write('desired-state/notes.txt', 'hello')
    const error = await rejection('desired-state')
    expect(error.message).toBe('No desired-state files in desired-state')
    expect(error.exitCode).toBe(1)
  })
})

describe('loading a file', () => {
  it('reads one file by path', async () => {
    await write('prod.yaml', 'version: 1\nrepositories:\n  app: {keep: [tag: latest]}\n')
    const desired = await loadDesiredState('prod.yaml', {cwd})
    expect(desired.files).toEqual(['prod.yaml'])
    expect(desired.entries[0]?.keep[0]?.label).toBe('app keep[0] tag=latest')
  })

  it('names a missing path and suggests -f', async () => {
    const error = await rejection('nope.yaml')
    expect(error).not.toBeInstanceOf(DesiredStateError)
    expect(error.message).toBe('Desired state not found: nope.yaml')
    expect(error.format()).toContain('-f PATH')
    expect(error.exitCode).toBe(1)
  })
})
