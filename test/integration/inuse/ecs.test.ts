/**
 * scanEcs against the emulator: running tasks (image and the digest ECS resolved), every
 * deployment of every service and its current service revisions, the newest N ACTIVE revisions
 * of each task definition family, paging, and the exact evidence of each candidate.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs'
import type {ECRClient} from '@aws-sdk/client-ecr'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createEcsClient, scanEcs} from '../../../src/registry/inuse/ecs.js'
import {startEmulator, type Emulator} from '../../support/emulator.js'
import {createRepository, pushImage, testEcrClient} from '../../support/push.js'
import {REGISTRY, connection, countCalls, lines, useTestCredentials} from './fixture.js'

let emulator: Emulator
let ecr: ECRClient
let ecs: ECSClient

beforeAll(async () => {
  useTestCredentials()
  emulator = await startEmulator()
  ecr = testEcrClient(emulator.endpoint)
  ecs = createEcsClient(connection(emulator.endpoint))
})
afterAll(async () => {
  ecs?.destroy()
  ecr?.destroy()
  await emulator?.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

const container = (name: string, image: string, environment: Record<string, string> = {}): ContainerDefinition => ({
  name,
  image,
  memory: 128,
  environment: Object.entries(environment).map(([key, value]) => ({name: key, value})),
})

async function register(family: string, containers: ContainerDefinition[]): Promise<string> {
  const answer = await ecs.send(new RegisterTaskDefinitionCommand({family, containerDefinitions: containers}))
  return answer.taskDefinition!.taskDefinitionArn!
}

describe('scanEcs', () => {
  it('reads the newest N ACTIVE revisions of every family, and nothing older or INACTIVE', async () => {
    const web: string[] = []
    for (let revision = 1; revision <= 7; revision++) web.push(await register('web', [container('web', `${REGISTRY}/inuse/web:r${revision}`)]))
    await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: web[5]})) // web:6
    // A family whose name starts with another's must not be mistaken for it.
    const webApi = await register('web-api', [container('api', `${REGISTRY}/inuse/web-api:v1`, {SIDECAR: `${REGISTRY}/inuse/sidecar:v9`})])

    const candidates = await scanEcs(ecs, {taskDefinitionRevisions: 3})

    expect(lines(candidates)).toEqual([
      // sorted by resource: ".../web-api:1" before ".../web:4" ('-' < ':')
      `text ${webApi} containerDefinitions[0].environment.SIDECAR = ${REGISTRY}/inuse/sidecar:v9`,
      `exact ${webApi} containerDefinitions[0].image = ${REGISTRY}/inuse/web-api:v1`,
      `exact ${web[3]} containerDefinitions[0].image = ${REGISTRY}/inuse/web:r4`,
      `exact ${web[4]} containerDefinitions[0].image = ${REGISTRY}/inuse/web:r5`,
      // web:6 is INACTIVE: the newest three ACTIVE revisions are 7, 5 and 4
      `exact ${web[6]} containerDefinitions[0].image = ${REGISTRY}/inuse/web:r7`,
    ])
    expect(candidates.every((c) => c.evidence.source === 'ecs')).toBe(true)
  })

  it('keeps the digest a running task resolved its tag to, after the tag moved', async () => {
    await createRepository(ecr, 'inuse/worker')
    const first = await pushImage(ecr, 'inuse/worker', {seed: 'worker-1', tags: ['v1']})
    await ecs.send(new CreateClusterCommand({clusterName: 'prod'}))
    await ecs.send(new CreateClusterCommand({clusterName: 'preprod'})) // "prod" is a substring of it
    const worker = await register('worker', [container('main', `${REGISTRY}/inuse/worker:v1`), container('log', 'public.ecr.aws/docker/library/busybox:1')])
    const [task] = (await ecs.send(new RunTaskCommand({cluster: 'prod', taskDefinition: worker, launchType: 'FARGATE'}))).tasks!
    await pushImage(ecr, 'inuse/worker', {seed: 'worker-2', tags: ['v1']}) // the tag moves on

    const candidates = await scanEcs(ecs, {taskDefinitionRevisions: 0})

    expect(lines(candidates)).toEqual([
      `exact ${task!.taskArn} containers[0].image = ${REGISTRY}/inuse/worker:v1`,
      `exact ${task!.taskArn} containers[0].imageDigest = ${REGISTRY}/inuse/worker@${first.digest}`,
      `exact ${task!.taskArn} containers[1].image = public.ecr.aws/docker/library/busybox:1`,
    ])
  })

  it('reads every deployment of every service, even of a revision outside the newest N or INACTIVE, and its pinned digests', async () => {
    await createRepository(ecr, 'inuse/api')
    const v1 = await pushImage(ecr, 'inuse/api', {seed: 'api-1', tags: ['v1']})
    const v2 = await pushImage(ecr, 'inuse/api', {seed: 'api-2', tags: ['v2']})
    await ecs.send(new CreateClusterCommand({clusterName: 'prod'}))
    const api1 = await register('api', [container('api', `${REGISTRY}/inuse/api:v1`)])
    const api2 = await register('api', [container('api', `${REGISTRY}/inuse/api:v2`)])
    const service = (await ecs.send(new CreateServiceCommand({cluster: 'prod', serviceName: 'api', taskDefinition: api1, desiredCount: 0}))).service!
    await ecs.send(new UpdateServiceCommand({cluster: 'prod', service: 'api', taskDefinition: api2}))
    await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: api1}))

    const candidates = await scanEcs(ecs, {taskDefinitionRevisions: 0})
    const arn = service.serviceArn!

    // Revision ids are random: name them (rev) and compare in a fixed order.
    const byField = candidates.map((c) => [c.evidence.resource, c.evidence.field.replace(/\(\d+\)/, '(rev)'), c.value]).sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : 1))
    expect(byField).toEqual([
      [arn, 'currentServiceRevisions(rev).containerImages[0].image', `${REGISTRY}/inuse/api:v1`],
      [arn, 'currentServiceRevisions(rev).containerImages[0].image', `${REGISTRY}/inuse/api:v2`],
      [arn, 'currentServiceRevisions(rev).containerImages[0].imageDigest', `${REGISTRY}/inuse/api@${v1.digest}`],
      [arn, 'currentServiceRevisions(rev).containerImages[0].imageDigest', `${REGISTRY}/inuse/api@${v2.digest}`],
      [arn, 'deployments[0].taskDefinition(api:2).containerDefinitions[0].image', `${REGISTRY}/inuse/api:v2`],
      [arn, 'deployments[1].taskDefinition(api:1).containerDefinitions[0].image', `${REGISTRY}/inuse/api:v1`],
    ])
  })

  it('pages through every cluster, family and task, and calls each API as often as paging needs', async () => {
    for (let i = 0; i < 103; i++) await ecs.send(new CreateClusterCommand({clusterName: `c-${String(i).padStart(3, '0')}`}))
    const families = Array.from({length: 102}, (_, i) => `family-${String(i).padStart(3, '0')}`)
    for (const family of families) await register(family, [container('x', `${REGISTRY}/inuse/${family}:v1`)])
    const one = await register('many', [container('x', `${REGISTRY}/inuse/many:v1`)])
    const tasks = (await ecs.send(new RunTaskCommand({cluster: 'c-000', taskDefinition: one, launchType: 'FARGATE', count: 10}))).tasks!
    for (let i = 0; i < 10; i++) await ecs.send(new RunTaskCommand({cluster: 'c-000', taskDefinition: one, launchType: 'FARGATE', count: 10}))
    const counter = countCalls(ecs)

    const candidates = await scanEcs(ecs, {taskDefinitionRevisions: 5, concurrency: 4})

    const resources = new Set(candidates.map((c) => c.evidence.resource))
    expect(candidates.filter((c) => c.evidence.field === 'containers[0].image')).toHaveLength(110)
    expect(resources.has(tasks[0]!.taskArn!)).toBe(true)
    for (const family of families) expect(candidates.some((c) => c.value === `${REGISTRY}/inuse/${family}:v1`)).toBe(true)
    expect(counter.calls).toEqual({
      ListClusters: 2, // 103 clusters, 100 a page
      ListTasks: 103 + 1, // 110 tasks in c-000: two pages there
      DescribeTasks: 2, // 100 tasks a call
      ListServices: 103,
      ListTaskDefinitionFamilies: 2, // 103 families
      ListTaskDefinitions: 103,
      DescribeTaskDefinition: 103,
    })
    counter.reset()
  })

  it('returns the same candidates, in the same order, on every run', async () => {
    for (let i = 0; i < 6; i++) await register(`f${i % 3}`, [container('a', `${REGISTRY}/inuse/a:${i}`), container('b', `${REGISTRY}/inuse/b:${i}`)])
    const first = await scanEcs(ecs, {concurrency: 8})
    const second = await scanEcs(ecs, {concurrency: 1})
    expect(second).toEqual(first)
    expect(first).toHaveLength(12)
  })
})

describe('the emulator’s ECS', () => {
  it('lists one family’s revisions newest first in pages, and takes at most 10 services a DescribeServices', async () => {
    for (let i = 0; i < 5; i++) await register('paged', [container('x', 'busybox')])
    await register('paged-other', [container('x', 'busybox')])
    const first = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'paged', sort: 'DESC', maxResults: 3}))
    const second = await ecs.send(new ListTaskDefinitionsCommand({familyPrefix: 'paged', sort: 'DESC', maxResults: 3, nextToken: first.nextToken}))
    expect([...first.taskDefinitionArns!, ...second.taskDefinitionArns!].map((arn) => arn.slice(arn.lastIndexOf('/') + 1))).toEqual(['paged:5', 'paged:4', 'paged:3', 'paged:2', 'paged:1'])
    expect(second.nextToken).toBeUndefined()

    await ecs.send(new CreateClusterCommand({clusterName: 'many'}))
    await expect(ecs.send(new DescribeServicesCommand({cluster: 'many', services: Array.from({length: 11}, (_, i) => `s${i}`)}))).rejects.toThrow(/at most 10/)
  })
})
