import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import type {ImageReference} from '../../../src/model/in-use.js'
import {checkScanAge, createScanDocument, parseScanDocument, serializeScanDocument} from '../../../src/inuse/scan-document.js'
import {SCAN_SCHEMA_PATH, renderScanJsonSchema, scanJsonSchema} from '../../../src/inuse/scan-json-schema.js'
import {refusalOf} from '../../support/refusal.js'

const DIGEST = `sha256:${'e'.repeat(64)}`
const CENTRAL = {accountId: '111111111111', region: 'us-east-1'}
const references: ImageReference[] = [
  {registry: CENTRAL, repository: 'spaceport/sfm', tag: 'real-colmap-fixed-final', text: '111111111111.dkr.ecr.us-east-1.amazonaws.com/spaceport/sfm:real-colmap-fixed-final', evidence: {source: 'lambda', resource: 'arn:aws:lambda:us-east-1:222222222222:function:start_ml_job', field: 'Environment.Variables.SFM_IMAGE'}},
  {registry: {accountId: '333333333333', region: 'eu-west-1'}, repository: 'other', digest: DIGEST, text: `333333333333.dkr.ecr.eu-west-1.amazonaws.com/other@${DIGEST}`, evidence: {source: 'ecs', resource: 'arn:aws:ecs:us-east-1:222222222222:task/prod/abc', field: 'containers[0].imageDigest'}},
  {repository: 'spaceport/3dgs', tag: 'latest', text: 'spaceport/3dgs:latest', evidence: {source: 'code', resource: 'start_ml_job/lambda_function.py:102', field: 'column 60'}},
]
const scan = () =>
  createScanDocument({
    ecrctlVersion: '0.2.0',
    scannedAt: new Date('2025-01-31T12:00:00Z'),
    scope: {accountId: '222222222222', region: 'us-east-1', sources: ['lambda', 'ecs', 'code', 'lambda']},
    references: [...references, references[0]!],
  })

describe('scan documents', () => {
  it('sorts and de-duplicates, and round-trips through its text byte for byte', () => {
    const document = scan()
    expect(document.scope.sources).toEqual(['code', 'ecs', 'lambda'])
    expect(document.references.map((r) => r.repository)).toEqual(['spaceport/3dgs', 'spaceport/sfm', 'other'])
    const text = serializeScanDocument(document)
    expect(Object.keys(JSON.parse(text))).toEqual(['kind', 'formatVersion', 'ecrctlVersion', 'scannedAt', 'scope', 'references'])
    expect(parseScanDocument(text, 'scans/prod.json')).toEqual(document)
    expect(serializeScanDocument(parseScanDocument(text, 'scans/prod.json'))).toBe(text)
    const shuffled = {...document, references: [...document.references].reverse().map((r) => Object.fromEntries(Object.entries(r).reverse()) as ImageReference)}
    expect(serializeScanDocument(shuffled)).toBe(text)
  })

  const refusal = (text: string) => refusalOf(() => parseScanDocument(text, 'scans/prod.json'))
  const withChange = (change: (document: any) => void) => {
    const document = JSON.parse(serializeScanDocument(scan()))
    change(document)
    return JSON.stringify(document)
  }

  it('refuses other kinds and versions with the refusals every ecrctl document shares, naming the file and what to run', () => {
    expect(refusal('{"kind": "ecrctl-scan", ')).toMatch(/^scans\/prod\.json is not valid JSON: it is truncated or corrupted\. At byte 24.*ecrctl scan --out/)
    expect(refusal('{"kind": "ecrctl-plan"}')).toMatch(/^scans\/prod\.json is not an ecrctl scan file\..*this is a saved plan.*Pass the file written by `ecrctl scan --out`/)
    expect(refusal('{"kind": "ecrctl-live-snapshot"}')).toMatch(/live-state snapshot/)
    expect(refusal('[]')).toMatch(/not an ecrctl scan file/)
    expect(refusal(withChange((d) => (d.formatVersion = 2)))).toMatch(/was made by a newer ecrctl \(format 2\); upgrade ecrctl\. This ecrctl reads scan file format 1 only/)
    expect(refusal(withChange((d) => (d.formatVersion = 0)))).toMatch(/unknown scan file format \(0\)/)
    expect(refusal(withChange((d) => delete d.formatVersion))).toMatch(/unknown scan file format \(null\)/)
  })

  it('refuses malformed content at its path', () => {
    const invalid = /^scans\/prod\.json is not a valid ecrctl scan file: its structure is wrong\. /
    expect(refusal(withChange((d) => (d.references[0].digest = 'sha256:xyz')))).toMatch(invalid)
    expect(refusal(withChange((d) => (d.references[0].digest = 'sha256:xyz')))).toMatch(/references\[0\]\.digest: not a sha256 digest/)
    expect(refusal(withChange((d) => delete d.references[0].tag))).toMatch(/references\[0\]: a reference needs a tag or a digest/)
    expect(refusal(withChange((d) => (d.references[1].evidence.source = 'heroku')))).toMatch(/references\[1\]\.evidence\.source/)
    expect(refusal(withChange((d) => (d.scannedAt = '2025-01-31T12:00:00')))).toMatch(/scannedAt: not an ISO-8601 time with a zone/)
    expect(refusal(withChange((d) => (d.scope.accountId = '12')))).toMatch(/scope\.accountId: not a 12-digit AWS account id/)
    expect(refusal(withChange((d) => (d.extra = true)))).toMatch(/\(document\): Unrecognized key: "extra"/)
  })

  it('refuses a scan older than the limit at the evaluation time, saying to re-scan', () => {
    const document = scan()
    const at = (iso: string) => new Date(iso)
    expect(() => checkScanAge(document, 'scans/prod.json', at('2025-02-01T12:00:00Z'))).not.toThrow()
    expect(() => checkScanAge(document, 'scans/prod.json', at('2025-01-31T11:00:00Z'))).not.toThrow()
    const message = refusalOf(() => checkScanAge(document, 'scans/prod.json', at('2025-02-01T12:00:01Z')))
    expect(message).toMatch(/^scans\/prod\.json is too old to trust: it was scanned at 2025-01-31T12:00:00\.000Z, 1d before the plan's evaluation time 2025-02-01T12:00:01\.000Z/)
    expect(message).toMatch(/inUse\.maxScanAge is 1d/)
    expect(message).toMatch(/Re-scan account 222222222222 in us-east-1 with `ecrctl scan --out scans\/prod\.json`/)
    expect(() => checkScanAge(document, 'f', at('2025-01-31T18:00:00Z'), 5 * 3_600_000)).toThrow(/6h before/)
  })
})

describe('published scan JSON Schema', () => {
  it('is exactly what the zod schema generates (run `npm run build` and commit schema/ if this fails)', () => {
    expect(readFileSync(SCAN_SCHEMA_PATH, 'utf8')).toBe(renderScanJsonSchema())
  })

  it('rejects unknown keys and carries the patterns of digests, tags and accounts', () => {
    const schema = scanJsonSchema() as any
    expect(schema.additionalProperties).toBe(false)
    expect(schema.properties.kind.const).toBe('ecrctl-scan')
    const reference = schema.properties.references.items
    expect(reference.additionalProperties).toBe(false)
    expect(new RegExp(reference.properties.digest.pattern).test(`sha256:${'a'.repeat(64)}`)).toBe(true)
    expect(new RegExp(reference.properties.digest.pattern).test('sha256:a')).toBe(false)
    expect(new RegExp(reference.properties.repository.pattern).test('spaceport/sfm')).toBe(true)
    expect(new RegExp(reference.properties.repository.pattern).test('Spaceport')).toBe(false)
    expect(reference.properties.evidence.properties.source.enum).toContain('stepfunctions')
  })
})
