import {describe, expect, it} from 'vitest'
import {policyDocToEcrJson} from '../../../src/lifecycle/canonical.js'
import {planRepositoryLifecycle} from '../../../src/planner/lifecycle-actions.js'
import type {RepositoryEntry} from '../../../src/model/desired.js'
import type {LiveRepository} from '../../../src/model/snapshot.js'
import {NOW, image, policy, rule} from '../lifecycle/builders.js'

const untaggedRule = policy(rule(1, {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}))
const entry = (pattern: string, lifecycle: RepositoryEntry['lifecycle'], line = 3): RepositoryEntry => ({
  pattern,
  source: {file: 'desired-state/x.yaml', line, column: 3},
  keep: [],
  ...(lifecycle === undefined ? {} : {lifecycle, lifecycleSource: {file: 'desired-state/x.yaml', line: line + 1, column: 5}}),
})
const repo = (lifecyclePolicy: string | null): LiveRepository => ({name: 'app/web', lifecyclePolicy, imagesRead: true, images: [image('a', ['v1'], 1)]})
const unmanagedImages = {kept: [], imagesManaged: false}

describe('planRepositoryLifecycle', () => {
  it('puts the desired policy when the live one differs, with canonical before and after', () => {
    const live = JSON.stringify({rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10}, action: {type: 'expire'}}]})
    const plan = planRepositoryLifecycle(repo(live), [entry('app/*', untaggedRule)], unmanagedImages, NOW)
    expect(plan.action).toMatchObject({type: 'putLifecyclePolicy', after: policyDocToEcrJson(untaggedRule)})
    expect(plan.action?.type === 'putLifecyclePolicy' && JSON.parse(plan.action.before!).rules[0].selection.countNumber).toBe(10)
  })

  it('plans nothing when the live policy is the desired one spelled differently', () => {
    const live = `{"rules":[{"action":{"type":"EXPIRE"},"rulePriority":1,"description":"Rule 1","selection":{"countNumber":14,"countUnit":"days","countType":"sinceImagePushed","tagStatus":"untagged"}}]}`
    expect(planRepositoryLifecycle(repo(live), [entry('app/*', untaggedRule)], unmanagedImages, NOW).action).toBeUndefined()
  })

  it('deletes a live policy for lifecycle: none, and does nothing without one', () => {
    expect(planRepositoryLifecycle(repo(policyDocToEcrJson(untaggedRule)), [entry('app/*', 'none')], unmanagedImages, NOW).action).toMatchObject({type: 'deleteLifecyclePolicy'})
    expect(planRepositoryLifecycle(repo(null), [entry('app/*', 'none')], unmanagedImages, NOW).action).toBeUndefined()
  })

  it('leaves an omitted lifecycle unmanaged', () => {
    expect(planRepositoryLifecycle(repo(policyDocToEcrJson(untaggedRule)), [entry('app/*', undefined)], unmanagedImages, NOW).action).toBeUndefined()
  })

  it('refuses two entries declaring lifecycle, naming both with file:line', () => {
    expect(() => planRepositoryLifecycle(repo(null), [entry('app/*', 'none', 3), entry('app/web', untaggedRule, 9)], unmanagedImages, NOW)).toThrow(
      /"app\/\*" \(desired-state\/x.yaml:4\) and "app\/web" \(desired-state\/x.yaml:10\)/,
    )
  })
})
