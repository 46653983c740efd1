import {describe, expect, it} from 'vitest'
import {createScanDocument} from '../../../src/inuse/scan-document.js'
import type {ImageReference} from '../../../src/model/in-use.js'
import {imageText, renderScanTable} from '../../../src/render/scan-table.js'

const CENTRAL = {accountId: '111111111111', region: 'us-east-1'}
const code = (repository: string, tag: string, line: number, column: number): ImageReference => ({
  repository,
  tag,
  text: `${repository}:${tag}`,
  evidence: {source: 'code', resource: `start_ml_job/lambda_function.py:${line}`, field: `column ${column}`},
})
const scan = (references: ImageReference[], scope = {accountId: '222222222222', region: 'us-east-1', sources: ['code', 'lambda'] as const}) =>
  createScanDocument({ecrctlVersion: '0.2.0', scannedAt: new Date('2025-01-31T12:00:00Z'), scope: {...scope, sources: [...scope.sources]}, references})

describe('renderScanTable', () => {
  it("prints the seed report's production table: image, used by, where", () => {
    const text = renderScanTable(
      scan([code('spaceport/sfm', 'real-colmap-fixed-final', 101, 59), code('spaceport/3dgs', 'latest', 102, 60), code('spaceport/compressor', 'latest', 103, 65)]),
    )
    expect(text).toBe(
      [
        'Scan of account 222222222222, us-east-1 (code, lambda) at 2025-01-31T12:00:00.000Z: 3 references to 3 images.',
        '',
        'Matched by repository name (no registry named: they count for the registry a plan reads this scan for):',
        'IMAGE                                  USED BY                                   WHERE',
        'spaceport/3dgs:latest                  code start_ml_job/lambda_function.py:102  column 60',
        'spaceport/compressor:latest            code start_ml_job/lambda_function.py:103  column 65',
        'spaceport/sfm:real-colmap-fixed-final  code start_ml_job/lambda_function.py:101  column 59',
        '',
      ].join('\n'),
    )
  })

  it('names each image once, groups by the registry the text named, and shortens digests', () => {
    const digest = `sha256:${'ab'.repeat(32)}`
    const lambda = (field: string): ImageReference => ({
      registry: CENTRAL,
      repository: 'spaceport/sfm',
      tag: 'v1',
      text: `111111111111.dkr.ecr.us-east-1.amazonaws.com/spaceport/sfm:v1`,
      evidence: {source: 'lambda', resource: 'arn:aws:lambda:us-east-1:222222222222:function:f:$LATEST', field},
    })
    const pinned: ImageReference = {...lambda('Code.ResolvedImageUri'), tag: undefined, digest}
    const text = renderScanTable(scan([lambda('Environment.Variables.A'), lambda('Code.ImageUri'), pinned, code('spaceport/sfm', 'latest', 7, 1)]))
    const lines = text.split('\n')
    expect(lines[0]).toBe('Scan of account 222222222222, us-east-1 (code, lambda) at 2025-01-31T12:00:00.000Z: 4 references to 3 images.')
    expect(lines.indexOf('Registry 111111111111 in us-east-1 (111111111111.dkr.ecr.us-east-1.amazonaws.com):')).toBeGreaterThan(lines.findIndex((l) => l.startsWith('spaceport/sfm:latest')))
    const rows = lines.slice(lines.findIndex((l) => l.startsWith('Registry')) + 2, -1)
    expect(rows.map((row) => row.split(/\s{2,}/))).toEqual([
      ['spaceport/sfm@sha256:abababababab', 'Lambda arn:aws:lambda:us-east-1:222222222222:function:f:$LATEST', 'Code.ResolvedImageUri'],
      ['spaceport/sfm:v1', 'Lambda arn:aws:lambda:us-east-1:222222222222:function:f:$LATEST', 'Code.ImageUri'],
      ['', 'Lambda arn:aws:lambda:us-east-1:222222222222:function:f:$LATEST', 'Environment.Variables.A'],
    ])
  })

  it('says when nothing was found, and names a cluster scope', () => {
    expect(renderScanTable(scan([], {cluster: 'prod-eks', sources: ['kubernetes']} as never))).toBe(
      'Scan of Kubernetes context prod-eks (kubernetes) at 2025-01-31T12:00:00.000Z: 0 references to 0 images.\nNo image references found.\n',
    )
  })

  it('escapes control characters from file names and cluster objects', () => {
    const hostile: ImageReference = {...code('app', 'v1', 1, 1), evidence: {source: 'kubernetes', resource: 'prod/\u001b[2Jpod', field: 'spec.containers[0].image'}}
    const text = renderScanTable(scan([hostile]))
    expect(text).not.toContain('\u001b')
    expect(text).toContain('Kubernetes prod/\\x1B[2Jpod')
  })

  it('writes an image as repository, tag and short digest', () => {
    expect(imageText({repository: 'a/b', tag: 'v1'})).toBe('a/b:v1')
    expect(imageText({repository: 'a/b', tag: 'v1', digest: `sha256:${'0'.repeat(64)}`})).toBe('a/b:v1@sha256:000000000000')
  })
})
