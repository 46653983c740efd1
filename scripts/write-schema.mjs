// Writes the published JSON Schemas (schema/desired-state.schema.json, schema/scan.schema.json)
// from the zod schemas in dist/ (run after tsc), so the JSON Schema editors use is generated from
// the same schema ecrctl validates with.
import {mkdirSync, writeFileSync} from 'node:fs'
import {DESIRED_STATE_SCHEMA_PATH, renderDesiredStateJsonSchema} from '../dist/desired/json-schema.js'
import {SCAN_SCHEMA_PATH, renderScanJsonSchema} from '../dist/inuse/scan-json-schema.js'

for (const [path, render] of [
  [DESIRED_STATE_SCHEMA_PATH, renderDesiredStateJsonSchema],
  [SCAN_SCHEMA_PATH, renderScanJsonSchema],
]) {
  const target = new URL(`../${path}`, import.meta.url)
  mkdirSync(new URL('.', target), {recursive: true})
  writeFileSync(target, render())
  console.log(`${path}: written`)
}
