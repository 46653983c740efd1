import {describe, expect, it} from 'vitest'
import {isManaged, managesImages, matchingEntries} from '../../../src/model/desired-entries.js'
import {parseDesiredState} from '../../../src/desired/load.js'
import {yaml} from '../desired/helpers.js'

const desired = parseDesiredState(
  yaml(`
    version: 1
    repositories:
      spaceport/sfm:
        keep: [{tag: real-colmap-fixed-final}]
      "spaceport/*":
        keep: [{tag: latest}]
      sagemaker-unzip:
        lifecycle: none
  `),
  'x.yaml',
)

describe('which entries apply to a repository', () => {
  it('combines an exact entry and a glob entry, in declaration order', () => {
    expect(matchingEntries(desired, 'spaceport/sfm').map((entry) => entry.pattern)).toEqual(['spaceport/sfm', 'spaceport/*'])
    expect(matchingEntries(desired, 'spaceport/3dgs').map((entry) => entry.pattern)).toEqual(['spaceport/*'])
  })

  it('leaves repositories no entry matches unmanaged', () => {
    expect(isManaged(desired, 'spaceport-ml-sogs-compressor')).toBe(false)
    expect(managesImages(desired, 'spaceport-ml-sogs-compressor')).toBe(false)
  })

  it('does not let a lifecycle-only entry make images deletable', () => {
    expect(isManaged(desired, 'sagemaker-unzip')).toBe(true)
    expect(managesImages(desired, 'sagemaker-unzip')).toBe(false)
    expect(managesImages(desired, 'spaceport/3dgs')).toBe(true)
  })
})
