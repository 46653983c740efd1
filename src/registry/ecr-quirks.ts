/**
 * The two ways ECR answers that every reader of it must handle, each in one place (the snapshot
 * reader and apply's calls both use them):
 *
 * - DescribeImages hides ARCHIVED and ACTIVATING images unless asked with filter.imageStatus ANY,
 *   and back ends that predate the archive feature refuse that filter.
 * - "There is none" comes as an exception (LifecyclePolicyNotFoundException, …), not as an empty
 *   answer.
 */
import {
  DescribeImagesCommand,
  GetLifecyclePolicyCommand,
  type DescribeImagesCommandInput,
  type DescribeImagesCommandOutput,
  type ECRClient,
} from '@aws-sdk/client-ecr'
import {classifySdkError, unlessMissing} from './errors.js'

/** Clients whose back end refused filter.imageStatus: they are asked without it from then on. */
const refusesImageStatusFilter = new WeakSet<ECRClient>()

/**
 * DescribeImages for images of every status. When the back end refuses the request with the
 * filter as invalid and accepts the same request without it, the filter was the problem: this
 * client leaves it out from then on (and reads ACTIVE images only, see docs/registry.md). When
 * the request without the filter fails too, that error is the answer and the filter stays.
 * Decided by the error class, not by the wording of its message.
 */
export async function describeImagesAnyStatus(client: ECRClient, input: DescribeImagesCommandInput): Promise<DescribeImagesCommandOutput> {
  if (refusesImageStatusFilter.has(client)) return client.send(new DescribeImagesCommand(input))
  try {
    return await client.send(new DescribeImagesCommand({...input, filter: {...input.filter, imageStatus: 'ANY'}}))
  } catch (error) {
    if (classifySdkError(error) !== 'invalidRequest') throw error
    const withoutFilter = await client.send(new DescribeImagesCommand(input))
    refusesImageStatusFilter.add(client)
    return withoutFilter
  }
}

/** The repository's lifecycle policy text as ECR returns it; null when it has none. SDK errors otherwise. */
export async function getLifecyclePolicyText(client: ECRClient, repository: string): Promise<string | null> {
  const response = await unlessMissing(client.send(new GetLifecyclePolicyCommand({repositoryName: repository})), 'lifecyclePolicyNotFound', null)
  return response?.lifecyclePolicyText ?? null
}
