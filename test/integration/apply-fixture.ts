/**
 * Shared set-up of the apply integration tests: an emulator with the fault proxy in front, a
 * temp directory for desired state / plans / logs, and the built CLI run as a child process
 * (the way CI runs it: no TTY).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {DescribeImagesCommand, type ECRClient} from '@aws-sdk/client-ecr'
import {requireHooks, startBackend} from '../support/backend.js'
import type {Emulator} from '../support/emulator.js'
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js'
import {testEcrClient} from '../support/push.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    NO_COLOR: '1',
    ...extra,
  }
  for (const key of ['AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_SESSION_TOKEN']) if (!(key in extra)) delete env[key]
  return env
}

export function spawnCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): ChildProcess {
  if (!existsSync(join(ROOT, 'dist', 'commands', 'apply.js')))
    throw new Error('The CLI is not built: run `npm run build` before the integration tests.')
  return spawn(process.execPath, [BIN, ...args], {cwd, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe']})
}

export function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  const child = spawnCli(args, env, cwd)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
}

export interface ApplyFixture {
  backend: Emulator
  proxy: FaultProxy
  /** Talks to the emulator directly (no faults), for set-up and assertions. */
  client: ECRClient
  dir: string
  desiredPath: string
  planPath: string
  auditLogPath: string
  /** Fresh start: empty registry whose pushes are PUSH_AGE old, no faults or latency, counts zeroed, no plan or audit log. */
  reset(): Promise<void>
  writeDesired(yaml: string): Promise<void>
  /** `ecrctl plan -f <desired>` straight at the emulator, evaluated now. */
  plan(extraArgs?: string[]): Promise<CliResult>
  /** `ecrctl apply PLAN -f <desired>` through the fault proxy: with the desired state at hand, as a user runs it. */
  apply(extraArgs?: string[], env?: Record<string, string>): Promise<CliResult>
  /** digest -> sorted tags of every image in the repository. */
  images(repository: string): Promise<Map<string, string[]>>
  auditLog(): Promise<Array<Record<string, unknown>>>
  stop(): Promise<void>
}

/**
 * How old every image a test pushes is (the emulator's clock is set back by this much): past the
 * default 24h grace period, so that a plan made now may delete them. Apply refuses plans evaluated
 * in the future, so tests move the pushes into the past rather than the plan into the future.
 */
export const PUSH_AGE_SECONDS = 3 * 86_400

export async function startApplyFixture(): Promise<ApplyFixture> {
  const backend = requireHooks(await startBackend())
  await backend.setClock({offsetSeconds: -PUSH_AGE_SECONDS})
  const proxy = await startFaultProxy({target: backend.endpoint, seed: 7})
  const client = testEcrClient(backend.endpoint)
  const dir = await mkdtemp(join(tmpdir(), 'ecrctl-apply-'))
  const desiredPath = join(dir, 'desired.yaml')
  const planPath = join(dir, 'plan.json')
  const auditLogPath = join(dir, 'plan.apply-log.jsonl')
  return {
    backend,
    proxy,
    client,
    dir,
    desiredPath,
    planPath,
    auditLogPath,
    async reset() {
      await backend.reset()
      await backend.setClock({offsetSeconds: -PUSH_AGE_SECONDS})
      proxy.configure({faultRate: 0, latencyMs: 0, accountId: undefined, faultOperations: undefined, faults: undefined, faultLimit: undefined})
      proxy.resetCounts()
      await rm(planPath, {force: true})
      await rm(auditLogPath, {force: true})
    },
    writeDesired: (yaml) => writeFile(desiredPath, yaml),
    plan: (extraArgs = []) =>
      runCli(['plan', '-f', desiredPath, '--endpoint-url', backend.endpoint, '--out', planPath, ...extraArgs]),
    apply: (extraArgs = [], env = {}) => runCli(['apply', planPath, '-f', desiredPath, '--endpoint-url', proxy.endpoint, ...extraArgs], env),
    async images(repository) {
      const result = new Map<string, string[]>()
      let nextToken: string | undefined
      do {
        const page = await client.send(new DescribeImagesCommand({repositoryName: repository, maxResults: 1000, nextToken}))
        for (const detail of page.imageDetails ?? []) result.set(detail.imageDigest!, [...(detail.imageTags ?? [])].sort())
        nextToken = page.nextToken
      } while (nextToken)
      return result
    },
    async auditLog() {
      const text = await readFile(auditLogPath, 'utf8')
      return text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    },
    async stop() {
      client.destroy()
      await proxy.stop()
      await backend.stop()
    },
  }
}
