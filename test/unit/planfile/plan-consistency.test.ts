import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import type {PlanDocument} from '../../../src/model/plan.js'
import {parsePlan} from '../../../src/planfile/read.js'
import {computePlanChecksum, sealPlan, serializePlan} from '../../../src/planfile/seal.js'
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

describe('parsePlan: a re-checksummed plan whose lifecycle actions apply could not carry out (issue 9, item 12)', () => {
  const KEEP_TEN = JSON.stringify({
    rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10}, action: {type: 'expire'}}],
  })
  const withPolicyActions = (...actions: Array<Record<string, unknown>>) =>
    editAndReseal((d) => {
      d.actions.push(...actions)
      d.managedRepositories = [...new Set([...d.managedRepositories, ...actions.map((a) => a.repository)])].sort()
    })
  const put = (repository: string, after: string) => ({type: 'putLifecyclePolicy', repository, before: null, after, declaredBy: {entry: repository, file: 'desired-state/a.yaml', line: 1}})

  it('accepts one valid put and one delete, each for its own repository', () => {
    const text = withPolicyActions(put('spaceport/sfm', KEEP_TEN), {type: 'deleteLifecyclePolicy', repository: 'other', before: KEEP_TEN, declaredBy: {entry: 'x', file: 'desired-state/a.yaml', line: 2}})
    expect(() => parsePlan(text, 'plan.json')).not.toThrow()
  })

  it.each([
    ['a count of 0 images (ECR requires at least 1)', KEEP_TEN.replace('"countNumber":10', '"countNumber":0'), /countNumber/],
    ['text that is not JSON', 'expire everything', /not JSON/],
    ['no rules array', '{"rule": []}', /rules/],
    ['a rule without an action', JSON.stringify({rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1}}]}), /action/],
    ['a tagged rule without tags', KEEP_TEN.replace('"any"', '"tagged"'), /tagPatternList or a tagPrefixList/],
  ])('refuses a put of a policy ECR would reject: %s', (_name, after, why) => {
    const error = refusal(withPolicyActions(put('spaceport/sfm', after)))
    expect(error.message).toBe('plan.json is not a valid ecrctl plan: its actions contradict each other or what ECR accepts.')
    expect(error.detail).toContain('actions[1]')
    expect(error.detail).toContain('lifecycle policy')
    expect(error.detail).toMatch(why)
  })

  it.each([
    ['two puts', [put('spaceport/sfm', KEEP_TEN), put('spaceport/sfm', KEEP_TEN.replace('10', '11'))]],
    ['a put and a delete', [put('spaceport/sfm', KEEP_TEN), {type: 'deleteLifecyclePolicy', repository: 'spaceport/sfm', before: KEEP_TEN, declaredBy: {entry: 'x', file: 'desired-state/a.yaml', line: 2}}]],
  ])('refuses %s of the lifecycle policy of one repository', (_name, actions) => {
    const error = refusal(withPolicyActions(...actions))
    expect(error.message).toBe('plan.json is not a valid ecrctl plan: its actions contradict each other or what ECR accepts.')
    expect(error.detail).toMatch(/actions\[2\].*second lifecycle policy action for repository spaceport\/sfm/)
  })
})
