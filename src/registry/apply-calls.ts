/**
 * The ECR calls apply makes, behind the RegistryApplyPort of src/model/apply-port.ts. Request-level errors
 * propagate as SDK errors (the executor records their name per image and carries on); throttling
 * and transient faults are retried by the client's adaptive retry strategy (registry/client.ts).
 */
import {
  BatchDeleteImageCommand,
  DeleteLifecyclePolicyCommand,
  DescribeImagesCommand,
  GetLifecyclePolicyCommand,
  ListImagesCommand,
  PutLifecyclePolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr'
import type {BatchDeleteResult, RegistryApplyPort} from '../model/apply-port.js'
import type {LiveRepositoryState, RegistryIdentity} from '../model/registry.js'
import {readLifecyclePolicy, readRegistryIdentity, readRepositoryImages} from './read.js'

const isName = (error: unknown, name: string): boolean =>
  (error as {name?: string})?.name === name || (error as {cause?: {name?: string}})?.cause?.name === name

/**
 * Fresh state of one repository the plan touches: every image (with index manifests, so a kept
 * index that now references a planned deletion is seen) and the lifecycle policy.
 */
export async function readTouchedRepository(client: ECRClient, repository: string): Promise<LiveRepositoryState> {
  try {
    const images = await readRepositoryImages(client, repository, {readManifests: 'references'})
    const lifecyclePolicy = await readLifecyclePolicy(client, repository)
    return {repository, exists: true, images, lifecyclePolicy}
  } catch (error) {
    if (isName(error, 'RepositoryNotFoundException')) return {repository, exists: false, images: [], lifecyclePolicy: null}
    throw error
  }
}

/** DescribeImages hides archived images unless asked; older back ends reject the filter. */
const rejectsImageStatusFilter = (error: unknown): boolean =>
  (isName(error, 'InvalidParameterException') || isName(error, 'ValidationException')) &&
  /imageStatus|filter/i.test((error as {message?: string}).message ?? '')

export class EcrApplyCalls implements RegistryApplyPort {
  private imageStatusFilter: boolean = true

  constructor(private readonly client: ECRClient) {}

  readIdentity(): Promise<RegistryIdentity> {
    return readRegistryIdentity(this.client)
  }

  readTouchedRepository(repository: string): Promise<LiveRepositoryState> {
    return readTouchedRepository(this.client, repository)
  }

  private async describeByDigest(repository: string, digests: readonly string[]) {
    const input = {repositoryName: repository, imageIds: digests.map((imageDigest) => ({imageDigest}))}
    if (this.imageStatusFilter) {
      try {
        return await this.client.send(new DescribeImagesCommand({...input, filter: {imageStatus: 'ANY'}}))
      } catch (error) {
        if (!rejectsImageStatusFilter(error)) throw error
        this.imageStatusFilter = false
      }
    }
    return this.client.send(new DescribeImagesCommand(input))
  }

  async describeImageTags(repository: string, digests: readonly string[]): Promise<Map<string, string[]>> {
    if (digests.length === 0) return new Map()
    try {
      const response = await this.describeByDigest(repository, digests)
      return new Map((response.imageDetails ?? []).map((detail) => [detail.imageDigest!, [...(detail.imageTags ?? [])].sort()]))
    } catch (error) {
      if (isName(error, 'RepositoryNotFoundException')) return new Map()
      // DescribeImages with imageIds fails as a whole when any one is missing: list the repository
      // instead (rare: the pre-apply checks already left out what was gone).
      if (isName(error, 'ImageNotFoundException')) return this.listTags(repository, new Set(digests))
      throw error
    }
  }

  private async listTags(repository: string, wanted: ReadonlySet<string>): Promise<Map<string, string[]>> {
    const tags = new Map<string, string[]>()
    let nextToken: string | undefined
    do {
      const page = await this.client.send(new ListImagesCommand({repositoryName: repository, maxResults: 1000, nextToken}))
      for (const id of page.imageIds ?? []) {
        if (!id.imageDigest || !wanted.has(id.imageDigest)) continue
        const list = tags.get(id.imageDigest) ?? []
        if (id.imageTag) list.push(id.imageTag)
        tags.set(id.imageDigest, list)
      }
      nextToken = page.nextToken
    } while (nextToken)
    for (const list of tags.values()) list.sort()
    return tags
  }

  async batchDeleteImages(repository: string, digests: readonly string[]): Promise<BatchDeleteResult> {
    try {
      const response = await this.client.send(
        new BatchDeleteImageCommand({repositoryName: repository, imageIds: digests.map((imageDigest) => ({imageDigest}))}),
      )
      return {
        deleted: [...new Set((response.imageIds ?? []).flatMap((id) => (id.imageDigest ? [id.imageDigest] : [])))],
        failures: (response.failures ?? []).map((failure) => ({
          imageDigest: failure.imageId?.imageDigest ?? '',
          code: failure.failureCode ?? 'Unknown',
          reason: failure.failureReason ?? '',
        })),
      }
    } catch (error) {
      // The repository itself is gone: so is every image in it.
      if (isName(error, 'RepositoryNotFoundException'))
        return {deleted: [], failures: digests.map((imageDigest) => ({imageDigest, code: 'ImageNotFound', reason: 'repository not found'}))}
      throw error
    }
  }

  async getLifecyclePolicy(repository: string): Promise<string | null> {
    try {
      const response = await this.client.send(new GetLifecyclePolicyCommand({repositoryName: repository}))
      return response.lifecyclePolicyText ?? null
    } catch (error) {
      if (isName(error, 'LifecyclePolicyNotFoundException')) return null
      throw error
    }
  }

  async putLifecyclePolicy(repository: string, policyText: string): Promise<void> {
    await this.client.send(new PutLifecyclePolicyCommand({repositoryName: repository, lifecyclePolicyText: policyText}))
  }

  async deleteLifecyclePolicy(repository: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteLifecyclePolicyCommand({repositoryName: repository}))
      return true
    } catch (error) {
      if (isName(error, 'LifecyclePolicyNotFoundException')) return false
      throw error
    }
  }
}
