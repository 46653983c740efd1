// The ECR emulator for benchmarks (plain JS: bench scripts run without a TypeScript loader).
// Tests use test/support/emulator.ts, which adds the hooks and loud install hints.
import {spawn} from 'node:child_process'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'

export async function startEmulator() {
  const port = await new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port: free} = server.address()
      server.close(() => resolve(free))
    })
  })
  const script = fileURLToPath(new URL('../../../test/emulator/ecr_emulator.py', import.meta.url))
  const child = spawn('python3', [script, '-H', '127.0.0.1', '-p', String(port)], {env: {...process.env, TZ: 'UTC'}, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const endpoint = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`emulator exited: ${stderr}\nInstall: pip install 'moto[server]==5.2.1'`)
    try {
      if ((await fetch(`${endpoint}/_moto_ext/clock`)).ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`emulator not ready in 20 s: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve)
        child.kill('SIGTERM')
      }),
  }
}
