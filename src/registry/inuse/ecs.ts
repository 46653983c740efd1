/**
 * ECS in-use scanner. In every cluster: running tasks (each container's image, and the digest ECS
 * resolved it to), every service's deployments and task sets (their task definitions) and current
 * service revisions (the digests ECS pinned: later tasks of the service start from them even after
 * the tag moved); and across the account, the newest N ACTIVE revisions of each task definition
 * family (a rollback target is production too).
 */
import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  type Failure,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs'
import {DEFAULT_NEWEST_REVISIONS, type CandidateString} from '../../model/in-use.js'
import {createServiceClient, type ServiceConnectionOptions} from './clients.js'
import {incompleteReadError} from './errors.js'
import {CandidateList, SourceReader, chunks, pinnedToDigest} from './reading.js'

export const DEFAULT_TASK_DEFINITION_REVISIONS = DEFAULT_NEWEST_REVISIONS

export interface EcsScanOptions {
  concurrency?: number
  /** Newest ACTIVE revisions read per task definition family; default 5. */
  taskDefinitionRevisions?: number
}

export function createEcsClient(options: ServiceConnectionOptions = {}): ECSClient {
  return createServiceClient('ecs', ECSClient, options)
}

/** A task or service that ended between List and Describe is no longer in use: its absence is fine. */
function refuseFailures(failures: Failure[] | undefined, permission: string, resource: string): void {
  const real = (failures ?? []).filter((failure) => failure.reason !== 'MISSING')
  if (real.length > 0) {
    const first = real[0]!
    throw incompleteReadError('ecs', resource, `${permission} failed for ${first.arn ?? '?'}: ${first.reason ?? '?'}${first.detail ? ` (${first.detail})` : ''}`, `Grant ${permission} on that resource, or retry.`)
  }
}

/** `arn:…:task-definition/web:12` → `web:12` (how ECS itself names a revision). */
const revisionName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1)

export async function scanEcs(client: ECSClient, options: EcsScanOptions = {}): Promise<CandidateString[]> {
  const reader = new SourceReader('ecs', options.concurrency)
  const revisions = options.taskDefinitionRevisions ?? DEFAULT_TASK_DEFINITION_REVISIONS
  const found = new CandidateList('ecs')

  const definitions = new Map<string, Promise<TaskDefinition>>()
  const describeDefinition = (arn: string): Promise<TaskDefinition> => {
    let pending = definitions.get(arn)
    if (!pending) {
      pending = reader
        .call('ecs:DescribeTaskDefinition', arn, () => client.send(new DescribeTaskDefinitionCommand({taskDefinition: arn})))
        .then((answer) => {
          if (!answer.taskDefinition) throw incompleteReadError('ecs', arn, 'DescribeTaskDefinition returned no task definition', 'Retry.')
          return answer.taskDefinition
        })
      definitions.set(arn, pending)
    }
    return pending
  }
  const addDefinition = (definition: TaskDefinition, resource: string, prefix: string): void => {
    for (const [index, container] of (definition.containerDefinitions ?? []).entries()) {
      found.exact(container.image, resource, `${prefix}containerDefinitions[${index}].image`)
      for (const variable of container.environment ?? []) {
        found.text(variable.value, resource, `${prefix}containerDefinitions[${index}].environment.${variable.name ?? ''}`)
      }
    }
  }

  const clusters = await reader.pages(
    'ecs:ListClusters',
    'all clusters',
    (nextToken) => client.send(new ListClustersCommand({maxResults: 100, nextToken})),
    (page) => ({items: page.clusterArns, next: page.nextToken}),
  )

  const scanCluster = async (cluster: string): Promise<void> => {
    const taskArns = await reader.pages(
      'ecs:ListTasks',
      cluster,
      (nextToken) => client.send(new ListTasksCommand({cluster, desiredStatus: 'RUNNING', maxResults: 100, nextToken})),
      (page) => ({items: page.taskArns, next: page.nextToken}),
    )
    await reader.each(chunks(taskArns, 100), async (batch) => {
      const answer = await reader.call('ecs:DescribeTasks', cluster, () => client.send(new DescribeTasksCommand({cluster, tasks: batch})))
      refuseFailures(answer.failures, 'ecs:DescribeTasks', cluster)
      for (const task of answer.tasks ?? []) {
        const resource = task.taskArn ?? cluster
        for (const [index, container] of (task.containers ?? []).entries()) {
          found.exact(container.image, resource, `containers[${index}].image`)
          if (container.image && container.imageDigest) {
            found.exact(pinnedToDigest(container.image, container.imageDigest), resource, `containers[${index}].imageDigest`)
          }
        }
      }
    })

    const serviceArns = await reader.pages(
      'ecs:ListServices',
      cluster,
      (nextToken) => client.send(new ListServicesCommand({cluster, maxResults: 100, nextToken})),
      (page) => ({items: page.serviceArns, next: page.nextToken}),
    )
    await reader.each(chunks(serviceArns, 10), async (batch) => {
      const answer = await reader.call('ecs:DescribeServices', cluster, () => client.send(new DescribeServicesCommand({cluster, services: batch})))
      refuseFailures(answer.failures, 'ecs:DescribeServices', cluster)
      await reader.each(answer.services ?? [], scanService)
    })
  }

  const scanService = async (service: Service): Promise<void> => {
    const resource = service.serviceArn ?? '?'
    const uses: Array<{field: string; taskDefinition: string}> = []
    for (const [index, deployment] of (service.deployments ?? []).entries()) {
      if (deployment.taskDefinition) uses.push({field: `deployments[${index}]`, taskDefinition: deployment.taskDefinition})
    }
    for (const [index, taskSet] of (service.taskSets ?? []).entries()) {
      if (taskSet.taskDefinition) uses.push({field: `taskSets[${index}]`, taskDefinition: taskSet.taskDefinition})
    }
    await reader.each(uses, async ({field, taskDefinition}) => {
      addDefinition(await describeDefinition(taskDefinition), resource, `${field}.taskDefinition(${revisionName(taskDefinition)}).`)
    })
    const revisionArns = (service.currentServiceRevisions ?? []).flatMap((revision) => (revision.arn ? [revision.arn] : []))
    await reader.each(chunks(revisionArns, 20), async (batch) => {
      const answer = await reader.call('ecs:DescribeServiceRevisions', resource, () => client.send(new DescribeServiceRevisionsCommand({serviceRevisionArns: batch})))
      refuseFailures(answer.failures, 'ecs:DescribeServiceRevisions', resource)
      for (const revision of answer.serviceRevisions ?? []) {
        const prefix = `currentServiceRevisions(${revision.serviceRevisionArn?.slice(revision.serviceRevisionArn.lastIndexOf('/') + 1) ?? '?'})`
        for (const [index, image] of (revision.containerImages ?? []).entries()) {
          found.exact(image.image, resource, `${prefix}.containerImages[${index}].image`)
          if (image.image && image.imageDigest) {
            found.exact(pinnedToDigest(image.image, image.imageDigest), resource, `${prefix}.containerImages[${index}].imageDigest`)
          }
        }
      }
    })
  }

  const scanFamilies = async (): Promise<void> => {
    const families = await reader.pages(
      'ecs:ListTaskDefinitionFamilies',
      'all task definition families',
      (nextToken) => client.send(new ListTaskDefinitionFamiliesCommand({status: 'ACTIVE', maxResults: 100, nextToken})),
      (page) => ({items: page.families, next: page.nextToken}),
    )
    await reader.each(families, async (family) => {
      // familyPrefix is the full family name (not a prefix, despite its name); DESC puts the newest first.
      const newest = await reader.pages(
        'ecs:ListTaskDefinitions',
        `task definition family ${family}`,
        (nextToken) =>
          client.send(new ListTaskDefinitionsCommand({familyPrefix: family, status: 'ACTIVE', sort: 'DESC', maxResults: Math.min(100, Math.max(1, revisions)), nextToken})),
        (page) => ({items: page.taskDefinitionArns, next: page.nextToken}),
        {enough: (collected) => collected.length >= revisions},
      )
      await reader.each(newest.slice(0, revisions), async (arn) => addDefinition(await describeDefinition(arn), arn, ''))
    })
  }

  await Promise.all([reader.each(clusters, scanCluster), revisions > 0 ? scanFamilies() : undefined])
  return found.sorted()
}
