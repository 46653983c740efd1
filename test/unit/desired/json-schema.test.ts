import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {DESIRED_STATE_SCHEMA_PATH, desiredStateJsonSchema, renderDesiredStateJsonSchema} from '../../../src/desired/json-schema.js'

describe('published JSON Schema', () => {
  it('is exactly what the zod schema generates (run `npm run build` and commit schema/ if this fails)', () => {
    expect(readFileSync(DESIRED_STATE_SCHEMA_PATH, 'utf8')).toBe(renderDesiredStateJsonSchema())
  })

  it('rejects unknown keys and carries the value patterns editors need', () => {
    const schema = desiredStateJsonSchema() as any
    expect(schema.additionalProperties).toBe(false)
    expect(schema.required).toEqual(['version'])
    const entry = schema.properties.repositories.additionalProperties
    expect(entry.additionalProperties).toBe(false)
    const keepRule = entry.properties.keep.items
    expect(keepRule.additionalProperties).toBe(false)
    expect(Object.keys(keepRule.properties)).toEqual(['tag', 'tags', 'digest', 'digests', 'pushedWithin', 'pulledWithin', 'newest', 'reason'])
    const tag = new RegExp(keepRule.properties.tag.pattern)
    expect(tag.test('20*-*')).toBe(true)
    expect(tag.test('a/b')).toBe(false)
    expect(new RegExp(keepRule.properties.pushedWithin.pattern).test('30d')).toBe(true)
    expect(new RegExp(keepRule.properties.pushedWithin.pattern).test('30 days')).toBe(false)
    const repository = new RegExp(schema.properties.repositories.propertyNames.pattern)
    expect(repository.test('spaceport/*')).toBe(true)
    expect(repository.test('Spaceport')).toBe(false)
  })

  it('publishes inUse: the three shapes of aws, per-source options, and no unknown keys anywhere', () => {
    const inUse = (desiredStateJsonSchema() as any).properties.inUse
    expect(inUse.additionalProperties).toBe(false)
    expect(Object.keys(inUse.properties)).toEqual(['aws', 'scans', 'maxScanAge', 'kubernetes', 'code'])
    const [all, list, mapping] = inUse.properties.aws.anyOf
    expect(all.const).toBe('all')
    expect(list.items.enum).toEqual(['batch', 'ecs', 'lambda', 'sagemaker', 'stepfunctions'])
    expect(mapping.additionalProperties).toBe(false)
    const ecs = mapping.properties.ecs.anyOf[0]
    expect(ecs.additionalProperties).toBe(false)
    expect(ecs.properties.taskDefinitionRevisions).toMatchObject({type: 'integer', exclusiveMinimum: 0})
    expect(mapping.properties.lambda.anyOf[1]).toEqual({type: 'null'})
    expect(inUse.properties.kubernetes.items.additionalProperties).toBe(false)
    expect(inUse.properties.code.items.required).toEqual(['path'])
    expect(new RegExp(inUse.properties.maxScanAge.pattern).test('0h')).toBe(false)
  })
})
