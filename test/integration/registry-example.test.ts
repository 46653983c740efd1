/**
 * The bundled example is honest: the registry `npm run demo:registry` builds in the emulator
 * snapshots to exactly examples/spaceport/live-state.json (takenAt aside), read the way
 * `ecrctl snapshot` reads it by default (every manifest, with layer sizes).
 */
import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EXAMPLE_REGISTRY, loadExampleRegistry} from '../../examples/spaceport/load.mjs'
import {DEFAULT_MANIFEST_READ_MODE} from '../../src/commands/_shared/command-flags.js'
import type {LiveSnapshot} from '../../src/model/snapshot.js'
import {readLiveSnapshot} from '../../src/registry/read.js'
import {serializeSnapshot} from '../../src/registry/snapshot-file.js'
import {startBackend, requireHooks} from '../support/backend.js'
import type {Emulator} from '../support/emulator.js'
import {testEcrClient} from '../support/push.js'

let backend: Emulator

beforeAll(async () => {
  backend = requireHooks(await startBackend())
})
afterAll(async () => {
  await backend?.stop()
})

describe('the spaceport example registry', () => {
  it('loaded into the emulator, snapshots to the bundled live-state.json', async () => {
    const bundled = JSON.parse(readFileSync(new URL('../../examples/spaceport/live-state.json', import.meta.url), 'utf8')) as LiveSnapshot
    await loadExampleRegistry(backend.endpoint)
    const client = testEcrClient(backend.endpoint, EXAMPLE_REGISTRY.registry.region)
    const live = await readLiveSnapshot(client, {
      isManaged: (name) => !EXAMPLE_REGISTRY.unmanaged.includes(name),
      now: () => new Date(bundled.takenAt),
      readManifests: DEFAULT_MANIFEST_READ_MODE,
    })
    expect(live).toEqual(bundled)
    // Byte for byte, as `ecrctl snapshot` would write it.
    expect(serializeSnapshot(live)).toBe(readFileSync(new URL('../../examples/spaceport/live-state.json', import.meta.url), 'utf8'))
  })
})
