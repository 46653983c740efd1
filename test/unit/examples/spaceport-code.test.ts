/**
 * The example's code says what the seed report found in Spaceport's code: the start_ml_job Lambda
 * names the three production images at lines 101–103; the tests name `spaceport/sfm:latest` and
 * `sagemaker-unzip:latest` (as `extractorImageUri`); a test fallback script names
 * `spaceport-ml-sogs-compressor:simple`; deploy.sh makes the timestamp tags on line 67. Scanned
 * with the real code scanner over the real files.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {scanCodeSource, type CodeSource} from '../../../src/inuse/code-files.js'
import {repositoryNames} from '../../../src/inuse/references.js'
import type {ImageReference} from '../../../src/model/in-use.js'
import type {LiveSnapshot} from '../../../src/model/snapshot.js'

const CODE = fileURLToPath(new URL('../../../examples/spaceport/code/', import.meta.url))
const snapshot = JSON.parse(readFileSync(new URL('../../../examples/spaceport/live-state.json', import.meta.url), 'utf8')) as LiveSnapshot
const names = repositoryNames(snapshot.repositories.map((repository) => repository.name))
const INCLUDE = ['**/*.py', '**/*.sh', '**/*.ts', '**/*.json', '**/*.yaml', '**/*.tf']

const found = (references: readonly ImageReference[]) =>
  references.map((reference) => `${reference.evidence.resource} ${reference.repository}:${reference.tag ?? ''}${reference.digest ? `@${reference.digest}` : ''}`)

async function scan(source: Partial<CodeSource> = {}) {
  return scanCodeSource({root: CODE, include: INCLUDE, exclude: [], ...source}, names)
}

describe('the spaceport example code', () => {
  it('outside its tests, names exactly the three production images, at start_ml_job/lambda_function.py:101–103', async () => {
    const result = await scan({exclude: ['**/tests/**']})

    expect(found(result.references)).toEqual([
      'start_ml_job/lambda_function.py:101 spaceport/sfm:real-colmap-fixed-final',
      'start_ml_job/lambda_function.py:102 spaceport/3dgs:latest',
      'start_ml_job/lambda_function.py:103 spaceport/compressor:latest',
    ])
    // As the seed quotes them: built from the account and region, so matched by repository name.
    expect(result.references.map((reference) => reference.text)).toEqual([
      'spaceport/sfm:real-colmap-fixed-final',
      'spaceport/3dgs:latest',
      'spaceport/compressor:latest',
    ])
    const lines = readFileSync(`${CODE}start_ml_job/lambda_function.py`, 'utf8').split('\n')
    expect(lines[100]).toContain('f"{account}.dkr.ecr.{region}.amazonaws.com/spaceport/sfm:real-colmap-fixed-final"')
    // deploy.sh and the CDK stack are scanned too: their image names are templated or built, never written out.
    expect(result.filesScanned).toBe(3)
    expect(result.skipped).toEqual([])
  })

  it('has tests that name sfm:latest, sagemaker-unzip:latest as extractorImageUri, and the legacy compressor', async () => {
    const result = await scan()
    const inTests = result.references.filter((reference) => reference.evidence.resource.startsWith('tests/'))

    expect(found(inTests)).toEqual([
      'tests/fallback/run_compressor_fallback.sh:10 spaceport-ml-sogs-compressor:simple',
      'tests/test_full_pipeline.py:22 sagemaker-unzip:latest',
      'tests/test_full_pipeline.py:23 spaceport/sfm:latest',
      'tests/test_full_pipeline.py:24 spaceport/3dgs:latest',
      'tests/test_full_pipeline.py:25 spaceport/compressor:latest',
      'tests/test_sfm_container.py:15 spaceport/sfm:latest',
      'tests/test_sogs_compression.py:11 spaceport-ml-sogs-compressor:latest',
    ])
    const pipelineTest = readFileSync(`${CODE}tests/test_full_pipeline.py`, 'utf8').split('\n')
    expect(pipelineTest[21]).toMatch(/^\s*"extractorImageUri": /)
    // sfm:latest is a different image from production's, as the report suspects.
    const sfm = snapshot.repositories.find((repository) => repository.name === 'spaceport/sfm')!
    const tagged = (tag: string) => sfm.images.find((image) => image.tags.includes(tag))!.digest
    expect(tagged('latest')).not.toBe(tagged('real-colmap-fixed-final'))
  })

  it('deploy.sh makes the YYYYMMDD-HHMMSS tags on line 67, the tags the example registry has', () => {
    const deploy = readFileSync(`${CODE}deploy.sh`, 'utf8').split('\n')
    expect(deploy[66]).toContain('date -u +%Y%m%d-%H%M%S')
    const buildTags = snapshot.repositories.flatMap((repository) => repository.images.flatMap((image) => image.tags)).filter((tag) => tag.startsWith('20'))
    expect(buildTags.length).toBeGreaterThan(0)
    for (const tag of buildTags) expect(tag).toMatch(/^20\d{6}-\d{6}$/)
  })
})
