/** The code walker on real files in a temporary directory (the I/O edge of the code source). */
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import {listCodeFiles, scanCodeSource} from '../../../src/inuse/code-files.js'
import {repositoryNames} from '../../../src/inuse/references.js'

const NAMES = repositoryNames(['spaceport/sfm', 'spaceport/3dgs', 'sagemaker-unzip', 'spaceport-ml-sogs-compressor'])
let base: string
let root: string

function write(path: string, content: string | Buffer) {
  mkdirSync(dirname(join(root, path)), {recursive: true})
  writeFileSync(join(root, path), content)
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ecrctl-code-'))
  root = join(base, 'spaceport')
  write('start_ml_job/lambda_function.py', 'x = 1\nSFM = "spaceport/sfm:real-colmap-fixed-final"\n')
  write('tests/test_pipeline.py', 'image = "spaceport/sfm:latest"\n')
  write('scripts/tests/fallback.sh', 'docker run spaceport-ml-sogs-compressor:simple\n')
  write('deploy.sh', 'docker push spaceport/3dgs:$(date +%Y%m%d-%H%M%S)\ndocker push spaceport/3dgs:stable\n')
  write('.github/workflows/deploy.yml', 'image: sagemaker-unzip:latest\n')
  write('.git/config', 'spaceport/sfm:in-git\n')
  write('README.md', 'spaceport/sfm:docs\n')
  write('model.bin', Buffer.concat([Buffer.from('spaceport/sfm:binary'), Buffer.from([0, 1, 2])]))
  write('big.json', `{"image": "spaceport/sfm:big", "pad": "${'x'.repeat(2000)}"}`)
  write('b/z.py', 'spaceport/3dgs:b-z\n')
  write('b-a.py', 'spaceport/3dgs:b-a\n')
  writeFileSync(join(base, 'outside.py'), 'SECRET = "spaceport/sfm:outside"\n')
  symlinkSync(join(base, 'outside.py'), join(root, 'escape.py'))
  symlinkSync(base, join(root, 'up'))
  symlinkSync(join(root, 'deploy.sh'), join(root, 'deploy-link.sh'))
})

afterAll(() => rmSync(base, {recursive: true, force: true}))

const source = (include: string[], exclude: string[] = []) => ({root, include, exclude})
const LIMITS = {maxFileBytes: 1000}

describe('code files', () => {
  it('selects by include and exclude, skips version control, in path order', async () => {
    const {files} = await listCodeFiles(source(['**/*.py', '**/*.sh', '**/*.yml'], ['**/tests/**']))
    expect(files.map((f) => f.path)).toEqual([
      '.github/workflows/deploy.yml',
      'b-a.py',
      'b/z.py',
      'deploy-link.sh',
      'deploy.sh',
      'start_ml_job/lambda_function.py',
    ])
  })

  it('scans the selected files, with file:line evidence, and reports what it skipped and why', async () => {
    const result = await scanCodeSource(source([]), NAMES, LIMITS)
    expect(result.references.map((r) => `${r.evidence.resource} ${r.text}`)).toEqual([
      '.github/workflows/deploy.yml:1 sagemaker-unzip:latest',
      'README.md:1 spaceport/sfm:docs',
      'b-a.py:1 spaceport/3dgs:b-a',
      'b/z.py:1 spaceport/3dgs:b-z',
      'deploy-link.sh:2 spaceport/3dgs:stable',
      'deploy.sh:2 spaceport/3dgs:stable',
      'scripts/tests/fallback.sh:1 spaceport-ml-sogs-compressor:simple',
      'start_ml_job/lambda_function.py:2 spaceport/sfm:real-colmap-fixed-final',
      'tests/test_pipeline.py:1 spaceport/sfm:latest',
    ])
    expect(result.skipped).toEqual([
      {path: 'big.json', reason: 'tooLarge'},
      {path: 'escape.py', reason: 'linkOutsideRoot'},
      {path: 'model.bin', reason: 'binary'},
      {path: 'up', reason: 'linkOutsideRoot'},
    ])
    expect(result.filesScanned).toBe(9)
    expect(result.references.some((r) => r.text.includes('outside') || r.text.includes('in-git'))).toBe(false)
  })

  it('prefixes evidence with the label, and scans a single file given as the root', async () => {
    const labelled = await scanCodeSource({...source(['start_ml_job/**']), label: '../spaceport'}, NAMES, LIMITS)
    expect(labelled.references.map((r) => r.evidence.resource)).toEqual(['../spaceport/start_ml_job/lambda_function.py:2'])
    const single = await scanCodeSource({root: join(root, 'deploy.sh'), include: ['**/*.py'], exclude: []}, NAMES, LIMITS)
    expect(single.references.map((r) => r.evidence.resource)).toEqual(['deploy.sh:2'])
  })

  it('does not enter a linked directory even when it stays inside the root', async () => {
    symlinkSync(join(root, 'start_ml_job'), join(root, 'linked-jobs'))
    try {
      const result = await scanCodeSource(source(['**/*.py']), NAMES, LIMITS)
      expect(result.references.filter((r) => r.evidence.resource.startsWith('linked-jobs'))).toEqual([])
      expect(result.skipped).toContainEqual({path: 'linked-jobs', reason: 'linkToDirectory'})
    } finally {
      rmSync(join(root, 'linked-jobs'))
    }
  })

  it('fails closed, naming the path, when the code path cannot be read', async () => {
    for (const missing of [join(base, 'nope'), join(root, 'deploy.sh', 'below')]) {
      const error = await scanCodeSource({root: missing, include: [], exclude: []}, NAMES, LIMITS).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(EcrctlError)
      expect((error as EcrctlError).format()).toContain(missing)
      expect((error as EcrctlError).format()).toMatch(/stops the plan/)
    }
  })
})
