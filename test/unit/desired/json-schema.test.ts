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
})
