// Writes schema/desired-state.schema.json from the zod schema in dist/ (run after tsc), so the
// JSON Schema editors use is generated from the same schema `ecrctl validate` checks with.
import {mkdirSync, writeFileSync} from 'node:fs'
import {DESIRED_STATE_SCHEMA_PATH, renderDesiredStateJsonSchema} from '../dist/desired/json-schema.js'

const target = new URL(`../${DESIRED_STATE_SCHEMA_PATH}`, import.meta.url)
mkdirSync(new URL('.', target), {recursive: true})
writeFileSync(target, renderDesiredStateJsonSchema())
console.log(`${DESIRED_STATE_SCHEMA_PATH}: written`)
