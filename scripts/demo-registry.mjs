#!/usr/bin/env node
// `npm run demo:registry [-- --port 5000]`: starts the ECR emulator, loads the bundled spaceport
// example registry (examples/spaceport) into it, and what production runs from it (the
// start_ml_job Lambda and its SageMaker jobs, for in-use scanning), prints how to point ecrctl at
// it, and keeps it running until Ctrl-C. The loaded registry snapshots to
// examples/spaceport/live-state.json.
import {spawn} from 'node:child_process'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'
import {loadExampleRegistry} from '../examples/spaceport/load.mjs'
import {loadExampleWorkloads} from '../examples/spaceport/workloads.mjs'

// The SDK's notice about Node 20's end of support would bury the instructions below (ecrctl silences it too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const script = fileURLToPath(new URL('../test/emulator/ecr_emulator.py', import.meta.url))
const portArg = process.argv.indexOf('--port')
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : await freePort()
const endpoint = `http://127.0.0.1:${port}`

const emulator = spawn('python3', [script, '-H', '127.0.0.1', '-p', String(port)], {
  env: {...process.env, TZ: 'UTC'},
  stdio: ['ignore', 'ignore', 'pipe'],
})
let stderr = ''
emulator.stderr.setEncoding('utf8')
emulator.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8000)))
emulator.on('error', (error) => fail(`could not start python3: ${error.message}`))
emulator.on('exit', (code, signal) => fail(`the emulator exited (code ${code}, signal ${signal})`))

function fail(why) {
  console.error(`demo:registry: ${why}.`)
  console.error("The emulator needs python3 with moto 5.2.1: pip install 'moto[server]==5.2.1'")
  if (stderr.trim()) console.error(`Emulator stderr:\n${stderr.trim()}`)
  process.exit(1)
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port: free} = server.address()
      server.close(() => resolve(free))
    })
  })
}

const deadline = Date.now() + 20_000
for (;;) {
  try {
    if ((await fetch(`${endpoint}/_moto_ext/clock`)).ok) break
  } catch {
    // not up yet
  }
  if (Date.now() > deadline) {
    emulator.kill('SIGKILL')
    fail('the emulator did not become ready within 20 s')
  }
  await new Promise((resolve) => setTimeout(resolve, 100))
}

const stop = () => {
  emulator.removeAllListeners('exit')
  emulator.kill('SIGTERM')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

try {
  const loaded = await loadExampleRegistry(endpoint)
  const workloads = await loadExampleWorkloads(endpoint)
  console.log(`Spaceport example registry: ${loaded.repositories} repositories, ${loaded.images} images at ${endpoint}`)
  console.log(
    `In use from it: the start_ml_job Lambda (production image URIs in its environment) and ${workloads.jobs} SageMaker jobs, ${workloads.jobsInProgress} in progress`,
  )
} catch (error) {
  emulator.kill('SIGKILL')
  emulator.removeAllListeners('exit')
  console.error(`demo:registry: loading the example failed: ${error.message}`)
  process.exit(1)
}
console.log(`
Account 123456789012, region us-east-1; any credentials work (the emulator also serves Lambda and
SageMaker on this endpoint). Try:

  export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo
  npx ecrctl snapshot --endpoint-url ${endpoint} --region us-east-1
  npx ecrctl plan --endpoint-url ${endpoint} --region us-east-1 --now 2025-01-31T12:00:00Z
  npx ecrctl scan --endpoint-url ${endpoint} --region us-east-1 --aws lambda,sagemaker \\
    --code examples/spaceport/code --exclude "**/tests/**" --format text

(or export AWS_ENDPOINT_URL=${endpoint}, which every AWS service ecrctl calls uses, instead of
--endpoint-url). Ctrl-C stops it.`)
