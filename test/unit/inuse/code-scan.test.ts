import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {scanCodeText} from '../../../src/inuse/code-scan.js'
import {repositoryNames} from '../../../src/inuse/references.js'

const SPACEPORT = repositoryNames(['spaceport/sfm', 'spaceport/3dgs', 'spaceport/compressor', 'sagemaker-unzip', 'spaceport-ml-sogs-compressor'])

describe('scanCodeText', () => {
  it("gives the seed's three production references their file:line (start_ml_job/lambda_function.py:101-103)", () => {
    const filler = Array.from({length: 98}, (_, i) => `    step_${i} = prepare(event)  # not an image: {"a": 1}, ratio 3:2`)
    const text = [
      'import boto3',
      ...filler,
      '    images = {',
      `        'sfm': f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/sfm:real-colmap-fixed-final",`,
      `        '3dgs': f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/3dgs:latest",`,
      `        'compressor': f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/compressor:latest",`,
      '    }',
    ].join('\n')
    expect(scanCodeText(text, 'start_ml_job/lambda_function.py', SPACEPORT)).toEqual([
      {repository: 'spaceport/sfm', tag: 'real-colmap-fixed-final', text: 'spaceport/sfm:real-colmap-fixed-final', evidence: {source: 'code', resource: 'start_ml_job/lambda_function.py:101', field: 'column 59'}},
      {repository: 'spaceport/3dgs', tag: 'latest', text: 'spaceport/3dgs:latest', evidence: {source: 'code', resource: 'start_ml_job/lambda_function.py:102', field: 'column 60'}},
      {repository: 'spaceport/compressor', tag: 'latest', text: 'spaceport/compressor:latest', evidence: {source: 'code', resource: 'start_ml_job/lambda_function.py:103', field: 'column 66'}},
    ])
  })

  it('counts lines the same with CRLF endings and reports two references on one line by column', () => {
    const text = 'a\r\nb\r\nrun sagemaker-unzip:latest then spaceport/sfm:latest\r\n'
    expect(scanCodeText(text, 'x.sh', SPACEPORT).map((r) => [r.evidence.resource, r.evidence.field])).toEqual([
      ['x.sh:3', 'column 5'],
      ['x.sh:3', 'column 33'],
    ])
  })

  it('places every reference on the line and column it was written at (random files)', () => {
    const line = fc.oneof(
      fc.constantFrom('', 'x = 1', 'key: value', '# spaceport/sfm repository', '"a:b"', 'http://example.com:80/x'),
      fc.tuple(fc.constantFrom('', ' ', 'image: ', 'FROM ', '  "uri": "'), fc.constantFrom('spaceport/sfm:v1', 'sagemaker-unzip:latest', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/any/repo:t')),
    )
    fc.assert(
      fc.property(fc.array(line, {maxLength: 30}), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.map((l) => (typeof l === 'string' ? l : l.join(''))).join(eol)
        const expected = lines.flatMap((l, index) =>
          typeof l === 'string' ? [] : [{text: l[1], resource: `f.py:${index + 1}`, field: `column ${l[0].length + 1}`}],
        )
        const actual = scanCodeText(text, 'f.py', SPACEPORT).map((r) => ({text: r.text, resource: r.evidence.resource, field: r.evidence.field}))
        expect(actual).toEqual(expected)
      }),
      {numRuns: 500},
    )
  })
})
