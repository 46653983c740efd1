/**
 * The ECR API the integration tests talk to, chosen with ECRCTL_TEST_BACKEND:
 *   emulator   (default) our moto-based emulator, started per test file; has the test hooks.
 *   localstack LocalStack Pro in Docker via @testcontainers/localstack (needs Docker and
 *              LOCALSTACK_AUTH_TOKEN); no hooks, so tests that move time fail clearly there.
 * Both return the same Emulator interface, so a test file never branches on the backend.
 */
import {startEmulator, type Emulator} from './emulator.js'

export type BackendName = 'emulator' | 'localstack'

export function selectedBackend(): BackendName {
  const value = process.env.ECRCTL_TEST_BACKEND ?? 'emulator'
  if (value !== 'emulator' && value !== 'localstack') {
    throw new Error(`ECRCTL_TEST_BACKEND must be "emulator" or "localstack", not "${value}"`)
  }
  return value
}

export async function startBackend(): Promise<Emulator> {
  return selectedBackend() === 'localstack' ? startLocalStack() : startEmulator()
}

/**
 * For tests that need the emulator's hooks (clock, push/pull times): the backend itself, or a
 * clear failure on a backend without them. Never a silent skip.
 */
export function requireHooks(backend: Emulator): Emulator {
  if (!backend.hooks) {
    throw new Error(
      'This test needs the ECR emulator hooks (clock, imagePushedAt/lastRecordedPullTime), which ' +
        `the "${selectedBackend()}" backend does not have. Run it with ECRCTL_TEST_BACKEND=emulator.`,
    )
  }
  return backend
}

async function startLocalStack(): Promise<Emulator> {
  const token = process.env.LOCALSTACK_AUTH_TOKEN
  if (!token) {
    throw new Error('ECRCTL_TEST_BACKEND=localstack needs LOCALSTACK_AUTH_TOKEN (LocalStack ECR is a paid feature) and Docker.')
  }
  const {LocalstackContainer} = await import('@testcontainers/localstack')
  const image = process.env.ECRCTL_LOCALSTACK_IMAGE ?? 'localstack/localstack-pro:latest'
  const container = await new LocalstackContainer(image).withEnvironment({LOCALSTACK_AUTH_TOKEN: token}).start()
  const endpoint = container.getConnectionUri()
  const noHooks = (): never => {
    throw new Error('LocalStack has no ECR emulator hooks; run this test with ECRCTL_TEST_BACKEND=emulator.')
  }
  return {
    endpoint,
    hooks: false,
    async reset() {
      // LocalStack's own state reset endpoint.
      const response = await fetch(`${endpoint}/_localstack/state/reset`, {method: 'POST'})
      if (!response.ok) throw new Error(`LocalStack reset failed with HTTP ${response.status}`)
    },
    setClock: async () => noHooks(),
    setImageTimes: async () => noHooks(),
    async stop() {
      await container.stop()
    },
  }
}
