/**
 * Runs the built CLI (`node bin/run.js …`) as a user would, for end-to-end tests. The integration
 * project's globalSetup (./cli-build.ts) builds dist/ first when it is missing or older than src/.
 */
import {spawn} from 'node:child_process'
import {fileURLToPath, pathToFileURL} from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const CLI_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** `--import` this to make any import of the AWS SDK (or its @smithy runtime) throw. */
export const FORBID_AWS_SDK = pathToFileURL(fileURLToPath(new URL('./forbid-aws-sdk.mjs', import.meta.url))).href

export interface CliResult {
  stdout: string
  stderr: string
  exitCode: number
}

export interface RunCliOptions {
  /** Added to (and overriding) the inherited environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>
  cwd?: string
  input?: string
  /** Extra node options, e.g. ['--import', FORBID_AWS_SDK]. */
  nodeArgs?: string[]
  timeoutMs?: number
}

/** Variables that would change output or reach real AWS; tests opt back in through `env`. */
const SCRUBBED = ['NO_COLOR', 'FORCE_COLOR', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'NODE_OPTIONS']

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {...process.env}
  for (const name of SCRUBBED) delete env[name]
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + (signal ? `\n[killed by ${signal}]` : ''),
        exitCode: code ?? 128,
      })
    })
    child.stdin.end(options.input ?? '')
  })
}
