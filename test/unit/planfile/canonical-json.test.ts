import fc from 'fast-check'
import stringify from 'json-stable-stringify'
import {describe, expect, it} from 'vitest'
import {compactJson, streamCompactJson, streamPlanLayout} from '../../../src/planfile/canonical-json.js'

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
