/**
 * The published JSON Schema of the desired-state format, generated from the zod schema the loader
 * validates with. scripts/write-schema.mjs writes it to schema/desired-state.schema.json at build
 * time; a unit test fails if the committed file differs from what this returns.
 */
import {z} from 'zod'
import {desiredStateFileSchema} from './schema.js'

export const DESIRED_STATE_SCHEMA_PATH = 'schema/desired-state.schema.json'

/** draft-07: the dialect editors (yaml-language-server, JetBrains) support most completely. */
export function desiredStateJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(desiredStateFileSchema, {target: 'draft-7', io: 'input', unrepresentable: 'throw'})
  return {
    ...schema,
    title: 'ecrctl desired state (format v1)',
  }
}

/** The exact file content, so the build script and the drift test cannot disagree on formatting. */
export function renderDesiredStateJsonSchema(): string {
  return `${JSON.stringify(desiredStateJsonSchema(), null, 2)}\n`
}
