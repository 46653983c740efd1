import {describe, expect, it} from 'vitest'
import {canonicalPolicyText, parsePolicyText, policyDocToEcrJson} from '../../../src/lifecycle/canonical.js'
import type {LifecyclePolicyDoc} from '../../../src/model/desired.js'

const keepTen: LifecyclePolicyDoc = {
  rules: [
    {
      rulePriority: 1,
      description: 'Keep only 10 most recent images',
      selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10},
      action: {type: 'expire'},
    },
  ],
}

describe('canonicalPolicyText', () => {
  it('gives the same text for key order, whitespace, enum case, tag order and an implicit standard storage class', () => {
    const a = JSON.stringify({
      rules: [
        {rulePriority: 2, selection: {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}, action: {type: 'expire'}},
        {rulePriority: 1, selection: {tagStatus: 'tagged', tagPatternList: ['b*', 'a*'], countType: 'imageCountMoreThan', countNumber: 3}, action: {type: 'expire'}},
      ],
    })
    const b = `{"rules":[{"action":{"type":"EXPIRE"},"selection":{"countNumber":3,"countType":"IMAGECOUNTMORETHAN","tagPatternList":["a*","b*","a*"],"tagStatus":"TAGGED","storageClass":"standard"},"rulePriority":1},
      {"rulePriority":2,"action":{"type":"expire"},"selection":{"countNumber":14,"countUnit":"DAYS","countType":"sinceImagePushed","tagStatus":"untagged"}}]}`
    expect(canonicalPolicyText(a)).toBe(canonicalPolicyText(b))
  })

  it('gives different text for policies that differ in meaning', () => {
    const ten = policyDocToEcrJson(keepTen)
    const eleven = policyDocToEcrJson({rules: [{...keepTen.rules[0]!, selection: {...keepTen.rules[0]!.selection, countNumber: 11}}]})
    expect(ten).not.toBe(eleven)
  })

  it('keeps storageClass archive on sinceImageTransitioned rules', () => {
    const text = policyDocToEcrJson({
      rules: [{rulePriority: 1, selection: {tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90}, action: {type: 'expire'}}],
    })
    expect(JSON.parse(text).rules[0].selection.storageClass).toBe('archive')
  })

  it('is a fixed point and round-trips through parsePolicyText', () => {
    const text = policyDocToEcrJson(keepTen)
    expect(canonicalPolicyText(text)).toBe(text)
    const parsed = parsePolicyText(text)
    expect('doc' in parsed && policyDocToEcrJson(parsed.doc)).toBe(text)
    expect(text).toContain('"expire"')
    expect(text).toContain('"imageCountMoreThan"')
  })

  it('passes null through and leaves non-JSON text unchanged', () => {
    expect(canonicalPolicyText(null)).toBeNull()
    expect(canonicalPolicyText('{not json')).toBe('{not json')
    expect(parsePolicyText('{not json')).toHaveProperty('error')
  })
})
