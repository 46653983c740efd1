/**
 * The IAM read policy documented for users is exactly what the scanners call: a scanner that
 * starts calling a new API without the table (and so the docs) saying so fails here.
 */
import {readFileSync, readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {AWS_IN_USE_SOURCES, SERVICES} from '../../../../src/registry/inuse/clients.js'
import {IAM_READ_PERMISSIONS, inUseReadPolicy} from '../../../../src/registry/inuse/permissions.js'

const folder = new URL('../../../../src/registry/inuse/', import.meta.url)
const moduleOf = {ecs: 'ecs.ts', lambda: 'lambda.ts', sagemaker: 'sagemaker.ts', batch: 'batch.ts', stepfunctions: 'stepfunctions.ts'} as const

describe('IAM_READ_PERMISSIONS', () => {
  it('lists exactly the IAM actions each scanner names in its calls', () => {
    for (const source of AWS_IN_USE_SOURCES) {
      const text = readFileSync(new URL(moduleOf[source], folder), 'utf8')
      const prefix = SERVICES[source].iamPrefix
      const named = [...text.matchAll(new RegExp(`'(${prefix}:[A-Za-z]+)'`, 'g'))].map((match) => match[1]!)
      expect([...new Set(named)].sort(), source).toEqual([...IAM_READ_PERMISSIONS[source]].sort())
    }
  })

  it('covers every scanner module in the folder', () => {
    const scanners = readdirSync(folder).filter((name) => /^(ecs|lambda|sagemaker|batch|stepfunctions)\.ts$/.test(name))
    expect(scanners.sort()).toEqual(Object.values(moduleOf).sort())
  })
})

describe('inUseReadPolicy', () => {
  it('is the policy docs/in-use.md shows for all sources', () => {
    const doc = readFileSync(new URL('../../../../docs/in-use.md', import.meta.url), 'utf8')
    const block = /<!-- iam-policy:begin -->\n```json\n([\s\S]*?)\n```\n<!-- iam-policy:end -->/.exec(doc)
    expect(block, 'the policy block in docs/in-use.md').not.toBeNull()
    expect(JSON.parse(block![1]!)).toEqual(inUseReadPolicy(AWS_IN_USE_SOURCES))
  })

  it('has one statement per source, read-only actions on every resource', () => {
    const policy = inUseReadPolicy(['lambda', 'ecs'])
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual(['EcrctlInUseEcs', 'EcrctlInUseLambda'])
    for (const statement of policy.Statement) {
      for (const action of statement.Action) expect(action).toMatch(/^[a-z]+:(Describe|List|Get)[A-Za-z]+$/)
    }
  })
})
