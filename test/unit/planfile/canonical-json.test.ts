import fc from 'fast-check'
import stringify from 'json-stable-stringify'
import {describe, expect, it} from 'vitest'
import {compactJson, isCanonical, streamCompactJson, streamPlanLayout} from '../../../src/planfile/canonical-json.js'

const collect = (write: (sink: (chunk: string) => void) => void): {text: string; chunks: number} => {
  const chunks: string[] = []
  write((chunk) => chunks.push(chunk))
  return {text: chunks.join(''), chunks: chunks.length}
}

// JSON-like values as plans hold them, plus undefined members (skipped, as JSON.stringify does).
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    {depthSize: 'small'},
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({noNaN: true, noDefaultInfinity: true}),
    fc.string({unit: 'binary'}),
    fc.array(tie('value'), {maxLength: 4}),
    fc.dictionary(fc.string({unit: 'binary', maxLength: 6}), fc.option(tie('value'), {nil: undefined}), {maxKeys: 4}),
  ),
})).value

describe('canonical JSON of plans', () => {
  it('is byte-identical to json-stable-stringify, whole or in pieces (checksums of existing plans stay valid)', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const expected = stringify(value)
        expect(compactJson(value)).toBe(expected)
        expect(collect((sink) => streamCompactJson(value, sink)).text).toBe(expected)
      }),
      {numRuns: 500},
    )
  })

  it('stringifies values whose keys are already sorted natively, with the same bytes', () => {
    let native = 0
    fc.assert(
      fc.property(jsonValue, (value) => {
        const expected = stringify(value)
        // parsed back, objects hold their keys sorted (except integer-like keys, which V8 lists first)
        const sorted: unknown = expected === undefined ? value : JSON.parse(expected)
        if (isCanonical(sorted)) {
          native += 1
          expect(JSON.stringify(sorted) ?? 'null').toBe(expected ?? 'null')
        }
        expect(compactJson(sorted)).toBe(expected ?? 'null')
      }),
      {numRuns: 500},
    )
    expect(native).toBeGreaterThan(250)
  })

  it('takes the sorting path for anything whose native text could differ', () => {
    expect(isCanonical({b: 1, a: 2})).toBe(false)
    expect(isCanonical([{a: 1}, {a: {d: 1, c: 2}}])).toBe(false)
    // integer-like keys: Object.keys gives 9 before 10, but "10" sorts first
    expect(isCanonical({9: 'x', 10: 'y'})).toBe(false)
    expect(compactJson({9: 'x', 10: 'y'})).toBe('{"10":"y","9":"x"}')
    expect(isCanonical({at: new Date(0)})).toBe(false)
    class Image {
      digest = 'sha256:a'
    }
    expect(isCanonical([new Image()])).toBe(false)
    expect(isCanonical({a: 1, b: undefined, c: [undefined, null, {x: 1}]})).toBe(true)
    expect(compactJson({a: 1, b: undefined, c: [undefined, null, {x: 1}]})).toBe(stringify({a: 1, b: undefined, c: [undefined, null, {x: 1}]}))
  })

  it('lays out a plan with one line per image and parses back to the same value', () => {
    const plan = {
      kind: 'ecrctl-plan',
      actions: [
        {type: 'deleteImage', imageDigest: 'sha256:b', imageTags: ['v1'], reasons: [{code: 'noKeepRule', message: 'x'}]},
        {type: 'deleteImage', imageDigest: 'sha256:a', imageTags: [], reasons: []},
      ],
      kept: [],
      registry: {region: 'us-east-1', accountId: '123456789012'},
      unmanagedRepositories: ['a', 'b'],
      summary: {repositories: [{repository: 'r', imagesDeleted: 2}], imagesDeleted: 2},
      note: undefined,
    }
    const {text} = collect((sink) => streamPlanLayout(plan, sink))
    expect(text.split('\n')).toEqual([
      '{',
      '  "actions": [',
      '    {"imageDigest":"sha256:b","imageTags":["v1"],"reasons":[{"code":"noKeepRule","message":"x"}],"type":"deleteImage"},',
      '    {"imageDigest":"sha256:a","imageTags":[],"reasons":[],"type":"deleteImage"}',
      '  ],',
      '  "kept": [],',
      '  "kind": "ecrctl-plan",',
      '  "registry": {',
      '    "accountId": "123456789012",',
      '    "region": "us-east-1"',
      '  },',
      '  "summary": {',
      '    "imagesDeleted": 2,',
      '    "repositories": [',
      '      {"imagesDeleted":2,"repository":"r"}',
      '    ]',
      '  },',
      '  "unmanagedRepositories": ["a","b"]',
      '}',
    ])
    const {note: _dropped, ...withoutUndefined} = plan
    expect(JSON.parse(text)).toEqual(withoutUndefined)
  })

  it('never builds the document as one string: each image is its own piece', () => {
    const actions = Array.from({length: 1000}, (_, index) => ({imageDigest: `sha256:${index}`}))
    expect(collect((sink) => streamCompactJson({actions}, sink)).chunks).toBeGreaterThan(1000)
    expect(collect((sink) => streamPlanLayout({actions}, sink)).chunks).toBeGreaterThan(1000)
  })
})
