/**
 * `ecrctl scan` end to end: the built CLI against the emulator loaded with the spaceport example
 * (its registry, the start_ml_job Lambda and the SageMaker jobs it started) and its code; a
 * Kubernetes context against the small list-endpoint server (test/support), as no API server can
 * run here.
 */
import {lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadExampleRegistry} from '../../examples/spaceport/load.mjs'
import {loadExampleWorkloads} from '../../examples/spaceport/workloads.mjs'
import {parseScanDocument} from '../../src/inuse/scan-document.js'
import {startBackend, requireHooks} from '../support/backend.js'
import {FORBID_AWS_SDK, runCli} from '../support/cli.js'
import type {Emulator} from '../support/emulator.js'
import {startKubernetesListServer, writeKubeconfig, type KubernetesListServer} from '../support/kubernetes-list-server.js'

const AWS_ENV = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, KUBECONFIG: undefined}
const CODE = 'examples/spaceport/code'
const PODS = 'test/unit/inuse/fixtures/kubectl-pods.json'

let backend: Emulator
let kubernetes: KubernetesListServer

beforeAll(async () => {
  backend = requireHooks(await startBackend())
  await loadExampleRegistry(backend.endpoint)
  await loadExampleWorkloads(backend.endpoint)
  kubernetes = await startKubernetesListServer(JSON.parse(readFileSync(PODS, 'utf8')).items)
})
afterAll(async () => {
  await kubernetes?.close()
  await backend?.stop()
})

const connection = () => ['--endpoint-url', backend.endpoint, '--region', 'us-east-1']
const rows = (table: string) => table.split('\n').filter((line) => /^\S*\s{2,}\S/.test(line) || line.startsWith(' '))

describe('ecrctl scan (emulator)', () => {
  it("reproduces the seed report's production table from the example's code, and writes the scan file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecrctl-scan-'))
    const out = join(dir, 'scan.json')
    const result = await runCli(['scan', ...connection(), '--code', CODE, '--include', '**/*.py', '--exclude', '**/tests/**', '--out', out, '--format', 'text'], {env: AWS_ENV})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(rows(result.stdout)).toEqual([
      'IMAGE                                  USED BY                                   WHERE',
      expect.stringMatching(/^spaceport\/3dgs:latest {18}code start_ml_job\/lambda_function\.py:102  column \d+$/),
      expect.stringMatching(/^spaceport\/compressor:latest {12}code start_ml_job\/lambda_function\.py:103  column \d+$/),
      expect.stringMatching(/^spaceport\/sfm:real-colmap-fixed-final  code start_ml_job\/lambda_function\.py:101  column \d+$/),
    ])
    expect(result.stderr).toContain(`Wrote ${out}: 3 references from code.`)

    const scan = parseScanDocument(readFileSync(out, 'utf8'), out)
    expect(scan.scope).toEqual({accountId: '123456789012', region: 'us-east-1', sources: ['code']})
    expect(scan.references.map((r) => `${r.repository}:${r.tag} ${r.evidence.resource}`)).toEqual([
      'spaceport/3dgs:latest start_ml_job/lambda_function.py:102',
      'spaceport/compressor:latest start_ml_job/lambda_function.py:103',
      'spaceport/sfm:real-colmap-fixed-final start_ml_job/lambda_function.py:101',
    ])
  })

  it('finds the test-only images too when tests are not excluded (the seed: sfm:latest only in tests)', async () => {
    const result = await runCli(['scan', ...connection(), '--code', CODE], {env: AWS_ENV})
    expect(result.exitCode, result.stderr).toBe(0)
    const references = parseScanDocument(result.stdout, 'stdout').references
    expect(references.filter((r) => r.repository === 'spaceport/sfm' && r.tag === 'latest').map((r) => r.evidence.resource.split(':')[0])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^tests\//)]),
    )
    expect(references.filter((r) => r.tag === 'latest' && r.repository === 'spaceport/sfm').every((r) => r.evidence.resource.startsWith('tests/'))).toBe(true)
  })

  it('reads Lambda and SageMaker with --aws, naming the registry each reference names', async () => {
    const result = await runCli(['scan', ...connection(), '--aws', 'lambda,sagemaker', '--format', 'text'], {env: AWS_ENV})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^Scan of account 123456789012, us-east-1 \(lambda, sagemaker\) at \S+: \d+ references to 3 images\.\n/)
    expect(result.stdout).toContain('Registry 123456789012 in us-east-1 (123456789012.dkr.ecr.us-east-1.amazonaws.com):')
    expect(result.stdout).toMatch(/spaceport\/sfm:real-colmap-fixed-final +Lambda arn:aws:lambda:us-east-1:123456789012:function:start_ml_job:\$LATEST +Environment\.Variables\.SFM_IMAGE_URI/)
    expect(result.stdout).toMatch(/ SageMaker arn:aws:sagemaker:us-east-1:123456789012:processing-job\/\S+ +AppSpecification\.ImageUri/)
  })

  it('refuses a symbolic link at --out without touching the file behind it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecrctl-scan-link-'))
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'precious\n')
    const link = join(dir, 'scan.json')
    symlinkSync(victim, link)
    const refused = await runCli(['scan', ...connection(), '--code', CODE, '--out', link], {env: AWS_ENV})
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain(`Refusing to write the scan to ${link}: it is a symbolic link.`)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['scan.json', 'victim.txt'])
  })

  it('refuses bad input with exit 1 before reading anything', async () => {
    const unknown = await runCli(['scan', ...connection(), '--aws', 'ecs,heroku'], {env: AWS_ENV})
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr).toContain('--aws "ecs,heroku" names an unknown source "heroku". Pass all, or a comma-separated list of batch, ecs, lambda, sagemaker, stepfunctions.')
    const nothing = await runCli(['scan', ...connection()], {env: AWS_ENV})
    expect(nothing.exitCode).toBe(1)
    expect(nothing.stderr).toContain('Nothing to scan.')
    const glob = await runCli(['scan', ...connection(), '--code', CODE, '--exclude', '../secrets/**'], {env: AWS_ENV})
    expect(glob.exitCode).toBe(1)
    expect(glob.stderr).toContain('--exclude "../secrets/**" is not a usable path glob')
  })
})

describe('ecrctl scan, Kubernetes (no AWS)', () => {
  it('reads a kubectl file without loading the AWS SDK, recording full ECR URIs', async () => {
    const result = await runCli(['scan', '--kubernetes-pods', PODS], {env: AWS_ENV, nodeArgs: ['--import', FORBID_AWS_SDK]})
    expect(result.exitCode, result.stderr).toBe(0)
    const scan = parseScanDocument(result.stdout, 'stdout')
    expect(scan.scope).toEqual({sources: ['kubernetes']})
    expect(scan.references.map((r) => `${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? '@digest' : ''} ${r.evidence.resource}`)).toContain('spaceport/sfm@digest ml/sfm-worker-0')
  })

  it('reads a kubeconfig context live from a list-endpoint server, the cluster named in the scope', async () => {
    const result = await runCli(['scan', '--kubernetes-context', 'prod-eks', '--format', 'text'], {
      env: {...AWS_ENV, KUBECONFIG: writeKubeconfig(kubernetes.url)},
      nodeArgs: ['--import', FORBID_AWS_SDK],
    })
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^Scan of Kubernetes context prod-eks \(kubernetes\)/)
    expect(result.stdout).toMatch(/spaceport\/sfm@sha256:444444444444 +Kubernetes ml\/sfm-worker-0 +status\.containerStatuses\[0\]\.imageID/)
  })

  it('fails closed with exit 1 and the RBAC to grant when the context may not list pods (list-endpoint server answers 403)', async () => {
    kubernetes.behaviour = {forbid: '/api/v1/pods'}
    const dir = mkdtempSync(join(tmpdir(), 'ecrctl-scan-403-'))
    const out = join(dir, 'scan.json')
    try {
      const result = await runCli(['scan', '--kubernetes-context', 'prod-eks', '--out', out], {env: {...AWS_ENV, KUBECONFIG: writeKubeconfig(kubernetes.url)}})
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(/^Error: Cannot read Kubernetes context prod-eks \(http:\/\/127\.0\.0\.1:\d+\): forbidden to list pods in all namespaces/)
      expect(result.stderr).toContain('the RBAC verb "list" on resource "pods" in API group "" (the core group)')
      expect(readdirSync(dir)).toEqual([])
    } finally {
      kubernetes.reset()
    }
  })
})
