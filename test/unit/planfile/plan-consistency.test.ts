import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import type {PlanDocument} from '../../../src/model/plan.js'
import {computePlanChecksum, parsePlan, sealPlan, serializePlan} from '../../../src/planfile/index.js'
import {buildPlan, deleteImage, keptImage} from './plan-builders.js'

const samplePlan = (): PlanDocument =>
  sealPlan(
    buildPlan({
      actions: [deleteImage({repository: 'spaceport/sfm', tags: ['20250101-1200']})],
      kept: [keptImage({repository: 'spaceport/sfm', tags: ['latest']})],
      unmanaged: ['sagemaker-unzip'],
    }),
  )

function editAndReseal(edit: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(serializePlan(samplePlan())) as Record<string, any>
  edit(doc)
  doc.checksum = computePlanChecksum(doc as PlanDocument)
  return JSON.stringify(doc)
}

function refusal(text: string): EcrctlError {
  try {
    parsePlan(text, 'plan.json')
  } catch (error) {
    expect(error).toBeInstanceOf(EcrctlError)
    return error as EcrctlError
  }
  throw new Error('parsePlan accepted the text')
}

describe('parsePlan: a re-checksummed plan that contradicts itself', () => {
  it.each([
    ['a delete redirected to a kept image', (d: any) => (d.actions[0].imageDigest = d.kept[0].imageDigest), 'actions[0]'],
    ['the same image deleted twice', (d: any) => d.actions.push({...d.actions[0]}), 'actions[1]'],
    [
      'a delete in a repository the plan lists as unmanaged',
      (d: any) => (d.actions[0].repository = 'sagemaker-unzip'),
      'actions[0].repository',
    ],
  ])('refuses %s', (_name, edit, path) => {
    const error = refusal(editAndReseal(edit))
    expect(error.message).toBe('plan.json is not a valid ecrctl plan: its actions contradict each other or what ECR accepts.')
    expect(error.detail).toContain(path)
  })

  it('accepts the same digest kept in one repository and deleted in another', () => {
    const text = editAndReseal((d) => {
      d.kept[0].imageDigest = d.actions[0].imageDigest
      d.kept[0].repository = 'spaceport/other'
      d.managedRepositories = ['spaceport/other', 'spaceport/sfm']
    })
    expect(() => parsePlan(text, 'plan.json')).not.toThrow()
  })
})
