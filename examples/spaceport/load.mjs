// Replays examples/spaceport/registry.json into a running ECR emulator: repositories, lifecycle
// policies, every manifest push in order (so tags move as they did), then the push and pull times
// through the emulator's set-image-times hook. Used by `npm run demo:registry` and the test that
// proves the loaded registry snapshots to live-state.json.
import {readFileSync} from 'node:fs'
import {CreateRepositoryCommand, ECRClient, PutImageCommand, PutLifecyclePolicyCommand} from '@aws-sdk/client-ecr'

export const EXAMPLE_REGISTRY = JSON.parse(readFileSync(new URL('./registry.json', import.meta.url), 'utf8'))

const epochSeconds = (iso) => Date.parse(iso) / 1000

export async function loadExampleRegistry(endpoint) {
  const {accountId, region} = EXAMPLE_REGISTRY.registry
  const client = new ECRClient({endpoint, region, credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'}})
  const hook = async (body) => {
    const response = await fetch(`${endpoint}/_moto_ext/ecr/set-image-times`, {
      method: 'POST',
      body: JSON.stringify({...body, region, accountId}),
    })
    if (!response.ok) throw new Error(`set-image-times failed (HTTP ${response.status}): ${await response.text()}`)
  }
  let images = 0
  try {
    for (const repository of EXAMPLE_REGISTRY.repositories) {
      await client.send(new CreateRepositoryCommand({repositoryName: repository.name}))
      if (repository.lifecyclePolicy) {
        await client.send(new PutLifecyclePolicyCommand({repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicy}))
      }
      const pushedAt = new Map()
      for (const push of repository.pushes) {
        for (const tag of push.tags.length > 0 ? push.tags : [undefined]) {
          const result = await client.send(
            new PutImageCommand({repositoryName: repository.name, imageManifest: push.manifest, imageManifestMediaType: push.mediaType, imageTag: tag}),
          )
          if (result.image?.imageId?.imageDigest !== push.digest) {
            throw new Error(`${repository.name}: the registry computed digest ${result.image?.imageId?.imageDigest}, registry.json says ${push.digest}`)
          }
        }
        if (!pushedAt.has(push.digest)) pushedAt.set(push.digest, push.pushedAt)
      }
      const pulls = new Map(repository.pulls.map((pull) => [pull.digest, pull.at]))
      for (const [digest, at] of pushedAt) {
        const times = {imagePushedAt: epochSeconds(at)}
        if (pulls.has(digest)) times.lastRecordedPullTime = epochSeconds(pulls.get(digest))
        await hook({repositoryName: repository.name, imageDigest: digest, ...times})
        images++
      }
    }
  } finally {
    client.destroy()
  }
  return {repositories: EXAMPLE_REGISTRY.repositories.length, images}
}
