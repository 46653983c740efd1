import {describe, expect, it} from 'vitest'
import type {CandidateString} from '../../../src/model/in-use.js'
import {extractReferences, findReferences, isRepositoryName, repositoryNames, type ReferenceMatch} from '../../../src/inuse/references.js'

const HEX = 'ab'.repeat(32)
const DIGEST = `sha256:${HEX}`
const ACCOUNT = '123456789012'
const HOST = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`
const REGISTRY = {accountId: ACCOUNT, region: 'us-east-1'}
const SEED_REPOSITORIES = repositoryNames(['spaceport/sfm', 'spaceport/3dgs', 'spaceport/compressor', 'sfm', 'sagemaker-unzip', 'spaceport-ml-sogs-compressor'])

/** Each match as `text -> repository tag digest`, which reads well in a failing assertion. */
const found = (text: string, names = SEED_REPOSITORIES) =>
  findReferences(text, names).map((m: ReferenceMatch) => ({
    text: text.slice(m.start, m.end),
    ...(m.registry ? {registry: m.registry} : {}),
    repository: m.repository,
    ...(m.tag !== undefined ? {tag: m.tag} : {}),
    ...(m.digest !== undefined ? {digest: m.digest} : {}),
  }))

describe('full ECR URIs (any repository)', () => {
  it('reads account, region, repository, tag and digest; neither tag nor digest means latest', () => {
    expect(found(`image = "${HOST}/team/app:v1.2"`)).toEqual([{text: `${HOST}/team/app:v1.2`, registry: REGISTRY, repository: 'team/app', tag: 'v1.2'}])
    expect(found(`${HOST}/app`)).toEqual([{text: `${HOST}/app`, registry: REGISTRY, repository: 'app', tag: 'latest'}])
    expect(found(`${HOST}/app@${DIGEST}`)).toEqual([{text: `${HOST}/app@${DIGEST}`, registry: REGISTRY, repository: 'app', digest: DIGEST}])
    expect(found(`${HOST}/app:v1@${DIGEST}`)).toEqual([{text: `${HOST}/app:v1@${DIGEST}`, registry: REGISTRY, repository: 'app', tag: 'v1', digest: DIGEST}])
  })

  it('reads the China partition and kubelet imageIDs', () => {
    const cn = `${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/app:v1`
    expect(found(cn)).toEqual([{text: cn, registry: {accountId: ACCOUNT, region: 'cn-north-1'}, repository: 'app', tag: 'v1'}])
    expect(found(`docker-pullable://${HOST}/app@${DIGEST}`)).toEqual([{text: `${HOST}/app@${DIGEST}`, registry: REGISTRY, repository: 'app', digest: DIGEST}])
  })

  it('ends at punctuation: a sentence full stop, quotes, commas, YAML flow braces', () => {
    expect(found(`Pull ${HOST}/app.`)).toEqual([{text: `${HOST}/app`, registry: REGISTRY, repository: 'app', tag: 'latest'}])
    expect(found(`Deploy ${HOST}/app:v1.`)[0]).toMatchObject({text: `${HOST}/app:v1`, tag: 'v1'})
    expect(found(`{image: ${HOST}/app:v1}`)[0]).toMatchObject({tag: 'v1'})
    expect(found(`["${HOST}/a/b:x","${HOST}/cd:y"]`).map((m) => m.text)).toEqual([`${HOST}/a/b:x`, `${HOST}/cd:y`])
    expect(found(`uri: ${HOST}/app: the one we run`)[0]).toMatchObject({repository: 'app', tag: 'latest'})
  })

  it('skips what it cannot know: templated repositories, tags and digests, and hosts that are not an account', () => {
    expect(found(`${HOST}/app:\${TAG}`)).toEqual([])
    expect(found(`${HOST}/app:v1-{env}`)).toEqual([])
    expect(found(`${HOST}/app:%s`)).toEqual([])
    expect(found(`${HOST}/app-\${ENV}:v1`)).toEqual([])
    expect(found(`${HOST}/myApp:v1`)).toEqual([])
    expect(found(`${HOST}/app@\${DIGEST}`)).toEqual([])
    expect(found(`1${HOST}/app:v1`)).toEqual([])
    expect(found(`${ACCOUNT.slice(1)}.dkr.ecr.us-east-1.amazonaws.com/app:v1`)).toEqual([])
    expect(found(`docker login ${HOST}`)).toEqual([])
    expect(found(`${ACCOUNT}.dkr.ecr.localhost.amazonaws.com/app:v1`)).toEqual([])
    expect(found(`${ACCOUNT}.dkr.ecr.us-gov-west-1.amazonaws.com/app:v1`)[0]).toMatchObject({registry: {accountId: ACCOUNT, region: 'us-gov-west-1'}})
    expect(found(`${HOST}/Bad..Name:v1`)).toEqual([])
  })

  it('keeps the tag when only the digest is templated (keeping more is the safe error)', () => {
    expect(found(`${HOST}/app:v1@\${DIGEST}`)[0]).toMatchObject({repository: 'app', tag: 'v1'})
    expect(found(`${HOST}/app:v1@\${DIGEST}`)[0]).not.toHaveProperty('digest')
  })

  it('refuses a digest that is not exactly 64 lowercase hex characters', () => {
    expect(found(`${HOST}/app@sha256:${HEX.slice(2)}`)[0]).toMatchObject({tag: 'latest'})
    expect(found(`${HOST}/app@sha256:${HEX}0`)[0]).toMatchObject({tag: 'latest'})
    expect(found(`${HOST}/app@sha256:${HEX.toUpperCase()}`)[0]).not.toHaveProperty('digest')
  })
})

describe('REPO:TAG and REPO@digest for known repositories', () => {
  it("finds the seed's production reference behind a placeholder host (start_ml_job/lambda_function.py)", () => {
    const line = `        'sfm': f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/sfm:real-colmap-fixed-final",`
    expect(found(line)).toEqual([{text: 'spaceport/sfm:real-colmap-fixed-final', repository: 'spaceport/sfm', tag: 'real-colmap-fixed-final'}])
  })

  it('prefers the longest known repository and starts only at a word or path segment', () => {
    expect(found('spaceport/sfm:latest')).toEqual([{text: 'spaceport/sfm:latest', repository: 'spaceport/sfm', tag: 'latest'}])
    expect(found('sfm:latest')).toEqual([{text: 'sfm:latest', repository: 'sfm', tag: 'latest'}])
    expect(found('ghcr.io/acme/sfm:v2')).toEqual([{text: 'sfm:v2', repository: 'sfm', tag: 'v2'}])
    expect(found('not-spaceport/sfm:v2')).toEqual([{text: 'sfm:v2', repository: 'sfm', tag: 'v2'}])
    expect(found('mysfm:v2')).toEqual([])
    expect(found('Xsfm:v2')).toEqual([])
    expect(found('spaceport-ml-sogs-compressor:simple')).toEqual([{text: 'spaceport-ml-sogs-compressor:simple', repository: 'spaceport-ml-sogs-compressor', tag: 'simple'}])
  })

  it('reads digests, with or without a tag', () => {
    expect(found(`sfm@${DIGEST}`)).toEqual([{text: `sfm@${DIGEST}`, repository: 'sfm', digest: DIGEST}])
    expect(found(`spaceport/sfm:v1@${DIGEST}`)).toEqual([{text: `spaceport/sfm:v1@${DIGEST}`, repository: 'spaceport/sfm', tag: 'v1', digest: DIGEST}])
    expect(found(`localhost:5000/sfm@${DIGEST}`)).toEqual([{text: `sfm@${DIGEST}`, repository: 'sfm', digest: DIGEST}])
  })

  it('does not take a host:port, a key: value, a bare name or an unknown repository for a reference', () => {
    expect(found('sfm:5000/team/app:v1')).toEqual([])
    expect(found('sfm: latest')).toEqual([])
    expect(found('{"sfm": "latest"}')).toEqual([])
    expect(found('aws ecr create-repository --repository-name spaceport/sfm')).toEqual([])
    expect(found('spaceport/other:latest')).toEqual([])
    expect(found('sfm:${TAG}')).toEqual([])
    expect(found('sfm:v1-%s')).toEqual([])
    expect(found(`nginx:sfm@${DIGEST}`)).toEqual([])
  })

  it('reads the contexts image references are written in', () => {
    const text = [
      'image: spaceport/3dgs:latest',
      '  - {name: c, image: "spaceport/compressor:latest"}',
      'docker pull sagemaker-unzip:latest && docker run spaceport/sfm:latest.',
      '"extractorImageUri": "sagemaker-unzip:latest",',
      'FROM spaceport/sfm:base AS build',
      'x = `${registry}/spaceport/3dgs:optimized-v1`',
    ].join('\n')
    expect(found(text).map((m) => m.text)).toEqual([
      'spaceport/3dgs:latest',
      'spaceport/compressor:latest',
      'sagemaker-unzip:latest',
      'spaceport/sfm:latest',
      'sagemaker-unzip:latest',
      'spaceport/sfm:base',
      'spaceport/3dgs:optimized-v1',
    ])
  })

  it('does not report a reference twice when it is also inside a full URI', () => {
    expect(found(`${HOST}/spaceport/sfm:v1`)).toEqual([{text: `${HOST}/spaceport/sfm:v1`, registry: REGISTRY, repository: 'spaceport/sfm', tag: 'v1'}])
  })

  it('finds nothing by name when no repository names are given', () => {
    expect(found('spaceport/sfm:latest', repositoryNames([]))).toEqual([])
    expect(found(`${HOST}/spaceport/sfm:v1`, repositoryNames([]))).toHaveLength(1)
  })

  it('stays linear on inputs built to make a backtracking scanner slow, and still finds the reference at the end', () => {
    const names = repositoryNames(['a/a', 'sfm'])
    const hostile = [
      'a/'.repeat(200_000) + 'a:',
      'a:'.repeat(200_000),
      `${ACCOUNT}.dkr.ecr.`.repeat(50_000),
      '@sha256:'.repeat(100_000),
      `${HOST}/${'a'.repeat(300_000)}`,
    ]
    for (const prefix of hostile) {
      const matches = found(`${prefix} sfm:v1`, names)
      expect(matches.at(-1)).toMatchObject({text: 'sfm:v1'})
    }
  })
})

describe('extractReferences', () => {
  const evidence = {source: 'kubernetes' as const, resource: 'prod/api-7d9c', field: 'spec.containers[0].image'}
  const candidate = (value: string, exact: boolean): CandidateString => ({value, exact, evidence})

  it('carries the evidence and the matched text', () => {
    expect(extractReferences(candidate(`run spaceport/sfm:v1 and ${HOST}/app`, false), SEED_REPOSITORIES)).toEqual([
      {repository: 'spaceport/sfm', tag: 'v1', text: 'spaceport/sfm:v1', evidence},
      {registry: REGISTRY, repository: 'app', tag: 'latest', text: `${HOST}/app`, evidence},
    ])
  })

  it('reads a bare known repository in an exact image field as latest, but never in free text', () => {
    expect(extractReferences(candidate('spaceport/sfm', true), SEED_REPOSITORIES)).toEqual([{repository: 'spaceport/sfm', tag: 'latest', text: 'spaceport/sfm', evidence}])
    expect(extractReferences(candidate('localhost:5000/spaceport/sfm', true), SEED_REPOSITORIES)).toEqual([
      {repository: 'spaceport/sfm', tag: 'latest', text: 'spaceport/sfm', evidence},
    ])
    expect(extractReferences(candidate('spaceport/sfm', false), SEED_REPOSITORIES)).toEqual([])
    expect(extractReferences(candidate('nginx', true), SEED_REPOSITORIES)).toEqual([])
    expect(extractReferences(candidate('spaceport/sfm latest', true), SEED_REPOSITORIES)).toEqual([])
  })

  it('reads an exact field with a registry host as that registry, not as a bare name', () => {
    expect(extractReferences(candidate(`${HOST}/spaceport/sfm`, true), SEED_REPOSITORIES)).toEqual([
      {registry: REGISTRY, repository: 'spaceport/sfm', tag: 'latest', text: `${HOST}/spaceport/sfm`, evidence},
    ])
  })
})

describe('isRepositoryName', () => {
  it("follows ECR's grammar", () => {
    for (const good of ['ab', 'spaceport/sfm', 'a.b_c-d/e1', 'x'.repeat(256)]) expect(isRepositoryName(good), good).toBe(true)
    for (const bad of ['a', 'A/b', 'a//b', 'a/', '/a', 'a..b', 'a-', '-a', 'a/.b', 'x'.repeat(257)]) expect(isRepositoryName(bad), bad).toBe(false)
  })
})
