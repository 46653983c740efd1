/**
 * The published JSON Schema of scan files, generated from the zod schema parseScanDocument
 * validates with. scripts/write-schema.mjs writes it to schema/scan.schema.json at build time; a
 * unit test fails if the committed file differs from what this returns.
 */
import {z} from 'zod'
import {scanDocumentSchema} from './scan-document.js'

export const SCAN_SCHEMA_PATH = 'schema/scan.schema.json'

/** draft-07, like the desired-state schema. "A tag or a digest" is checked by ecrctl, not expressed here. */
export function scanJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scanDocumentSchema, {target: 'draft-7', io: 'input', unrepresentable: 'throw'})
}

export function renderScanJsonSchema(): string {
  return `${JSON.stringify(scanJsonSchema(), null, 2)}\n`
}
