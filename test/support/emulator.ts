/**
 * Starts our ECR emulator (test/emulator/ecr_emulator.py: moto 5.2.1 + fidelity fixes + hooks) on
 * a free port. Each integration test file starts its own (beforeAll) and stops it (afterAll); the
 * process is also killed when the test worker exits, so a crashed test leaves nothing behind.
 * Missing python3 or the wrong moto fails loudly with how to install it: never a silent skip.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'

export const EMULATOR_SCRIPT = fileURLToPath(new URL('../emulator/ecr_emulator.py', import.meta.url))
export const INSTALL_HINT = "Install the emulator's dependency with: pip install 'moto[server]==5.2.1' (python3 must be on PATH)."

export interface ImageTimes {
  repositoryName: string
  imageDigest?: string
  imageTag?: string
  /** Epoch seconds (fractions allowed). */
  imagePushedAt?: number
  lastRecordedPullTime?: number
  region?: string
  accountId?: string
}

export interface Emulator {
  endpoint: string
  /** Whether the emulator's test hooks (clock, image times) exist; LocalStack has none. */
  readonly hooks: boolean
  /** Forget every repository and image; the clock goes back to real time. */
  reset(): Promise<void>
  setClock(clock: {offsetSeconds: number} | {now: number}): Promise<{offsetSeconds: number; now: number}>
  setImageTimes(times: ImageTimes): Promise<number>
  stop(): Promise<void>
}

/**
 * Runs the emulator script, and exits when our end of its stdin closes: if the test worker dies
 * (even SIGKILL), the pipe closes and the emulator goes with it.
 */
const DIE_WITH_PARENT = [
  'import os, sys, threading, runpy',
  'def watch():',
  '    sys.stdin.buffer.read()',
  '    os._exit(0)',
  'threading.Thread(target=watch, daemon=True).start()',
  'sys.argv = sys.argv[1:]',
  "runpy.run_path(sys.argv[0], run_name='__main__')",
].join('\n')

const running = new Set<ChildProcess>()
let exitHookInstalled = false
function killAllOnExit(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export async function startEmulator(options: {timeoutMs?: number; env?: Record<string, string>} = {}): Promise<Emulator> {
  const timeoutMs = options.timeoutMs ?? 60_000
  let lastError: Error | undefined
  // A port found free can be taken before the emulator binds it; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freePort(), timeoutMs, options.env ?? {})
    } catch (error) {
      lastError = error as Error
      if (!/address already in use/i.test(lastError.message)) throw lastError
    }
  }
  throw lastError
}

async function startOnce(port: number, timeoutMs: number, env: Record<string, string>): Promise<Emulator> {
  const endpoint = `http://127.0.0.1:${port}`
  const child = spawn('python3', ['-c', DIE_WITH_PARENT, EMULATOR_SCRIPT, '-H', '127.0.0.1', '-p', String(port)], {
    env: {...process.env, TZ: 'UTC', ...env},
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  running.add(child)
  killAllOnExit()
  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000)
  })
  let exited: {code: number | null; signal: NodeJS.Signals | null} | undefined
  let spawnError: Error | undefined
  child.on('error', (error) => {
    spawnError = error
  })
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = {code, signal}
      running.delete(child)
      resolve()
    }),
  )

  const failure = (what: string): Error =>
    new Error(
      `The ECR emulator (${EMULATOR_SCRIPT}) ${what}. ${INSTALL_HINT}` +
        (stderr.trim() ? `\nEmulator stderr:\n${stderr.trim()}` : ''),
    )

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (spawnError) throw failure(`could not be started: ${spawnError.message}`)
    if (exited) throw failure(`exited before it was ready (code ${exited.code}, signal ${exited.signal})`)
    try {
      const response = await fetch(`${endpoint}/_moto_ext/clock`, {signal: AbortSignal.timeout(1000)})
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw failure(`did not answer GET /_moto_ext/clock within ${timeoutMs} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  const hook = async (path: string, body: unknown): Promise<{status: number; json: any}> => {
    const response = await fetch(`${endpoint}${path}`, {method: 'POST', body: JSON.stringify(body)})
    const text = await response.text()
    return {status: response.status, json: text ? JSON.parse(text) : {}}
  }

  return {
    endpoint,
    hooks: true,
    async reset() {
      const {status} = await hook('/moto-api/reset', {})
      if (status !== 200) throw new Error(`emulator reset failed with HTTP ${status}`)
    },
    async setClock(clock) {
      const {status, json} = await hook('/_moto_ext/clock', clock)
      if (status !== 200) throw new Error(`emulator clock hook failed: ${JSON.stringify(json)}`)
      return json
    },
    async setImageTimes(times) {
      const {status, json} = await hook('/_moto_ext/ecr/set-image-times', times)
      if (status !== 200) throw new Error(`set-image-times ${JSON.stringify(times)} failed (HTTP ${status}): ${JSON.stringify(json)}`)
      return json.updated as number
    },
    async stop() {
      if (exited) return
      child.kill('SIGTERM')
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exitedPromise
      clearTimeout(killTimer)
    },
  }
}
