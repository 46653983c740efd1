import {describe, expect, it} from 'vitest'
import {digestProblem, repositoryPatternProblem, tagGlobProblem} from '../../../src/desired/schema.js'

const DIGEST = `sha256:${'ab12'.repeat(16)}`

describe('tag globs', () => {
  it.each(['latest', 'real-colmap-fixed-final', '20*-*', '*', 'v1.2.3_rc', '*a*b*c*d', 'a'.repeat(300)])('accepts %j', (glob) => {
    expect(tagGlobProblem(glob)).toBeUndefined()
  })

  it.each([
    ['', /empty/],
    ['a/b', /contains "\/"/],
    ['prod?', /contains "\?"/],
    ['spa ce', /contains " "/],
    ['*a*b*c*d*', /5 "\*" wildcards; at most 4/],
    ['a'.repeat(301), /longer than 300/],
  ])('rejects %j', (glob, message) => {
    expect(tagGlobProblem(glob)).toMatch(message)
  })
})

describe('repository names and globs', () => {
  it.each(['spaceport/sfm', 'spaceport/*', '*', 'spaceport-ml-sogs-compressor', 'a.b_c/d-e'])('accepts %j', (pattern) => {
    expect(repositoryPatternProblem(pattern)).toBeUndefined()
  })

  it.each([
    ['Spaceport/SFM', /contains "S", "F", "M"/],
    ['team:app', /contains ":"/],
    ['', /empty/],
    ['*/*/*/*/*', /5 "\*" wildcards/],
  ])('rejects %j', (pattern, message) => {
    expect(repositoryPatternProblem(pattern)).toMatch(message)
  })
})

describe('digests', () => {
  it('accepts a full lowercase sha256 digest', () => {
    expect(digestProblem(DIGEST)).toBeUndefined()
  })

  it.each([
    ['sha256:0123', /not a digest/],
    [DIGEST.toUpperCase().replace('SHA256', 'sha256'), /must be lowercase/],
    ['ab12'.repeat(16), /not a digest/],
    [`sha512:${'a'.repeat(128)}`, /not a digest/],
  ])('rejects %j', (digest, message) => {
    expect(digestProblem(digest)).toMatch(message)
  })
})
