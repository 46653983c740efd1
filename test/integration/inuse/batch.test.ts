/**
 * scanBatch against the emulator: the newest N ACTIVE revisions of each job definition, images of
 * container, multi-node and EKS job definitions with their JSON paths, and paging.
 */
import {BatchClient, DeregisterJobDefinitionCommand, RegisterJobDefinitionCommand} from '@aws-sdk/client-batch'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createBatchClient, scanBatch} from '../../../src/registry/inuse/batch.js'
import {startEmulator, type Emulator} from '../../support/emulator.js'
import {ACCOUNT, REGION, REGISTRY, connection, countCalls, lines, useTestCredentials} from './fixture.js'

let emulator: Emulator
let batch: BatchClient

beforeAll(async () => {
  useTestCredentials()
  emulator = await startEmulator()
  batch = createBatchClient(connection(emulator.endpoint))
})
afterAll(async () => {
  batch?.destroy()
  await emulator?.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

const arn = (name: string, revision: number) => `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/${name}:${revision}`
const image = (name: string) => `${REGISTRY}/spaceport/${name}`
const resources = [
  {type: 'VCPU' as const, value: '1'},
  {type: 'MEMORY' as const, value: '512'},
]

async function containerJob(name: string, containerImage: string, environment: Record<string, string> = {}): Promise<void> {
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: name,
      type: 'container',
      containerProperties: {image: containerImage, resourceRequirements: resources, environment: Object.entries(environment).map(([key, value]) => ({name: key, value}))},
    }),
  )
}

describe('scanBatch', () => {
  it('reads the newest N ACTIVE revisions of each job definition, in every shape', async () => {
    for (let revision = 1; revision <= 5; revision++) await containerJob('sfm', image(`sfm:r${revision}`), revision === 4 ? {NEXT_STAGE: image('3dgs:latest')} : {})
    await batch.send(new DeregisterJobDefinitionCommand({jobDefinition: arn('sfm', 5)}))
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'mpi',
        type: 'multinode',
        nodeProperties: {
          numNodes: 3,
          mainNode: 0,
          nodeRangeProperties: [
            {targetNodes: '0', container: {image: image('mpi-main:v1'), resourceRequirements: resources}},
            {targetNodes: '1:', container: {image: image('mpi-worker:v1'), resourceRequirements: resources}},
          ],
        },
      }),
    )
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'on-eks',
        type: 'container',
        eksProperties: {podProperties: {containers: [{name: 'main', image: image('eks-main:v1'), env: [{name: 'HELPER', value: image('eks-helper:v2')}]}]}},
      }),
    )

    const candidates = await scanBatch(batch, {jobDefinitionRevisions: 2})

    expect(lines(candidates)).toEqual([
      `exact ${arn('mpi', 1)} nodeProperties.nodeRangeProperties[0].container.image = ${image('mpi-main:v1')}`,
      `exact ${arn('mpi', 1)} nodeProperties.nodeRangeProperties[1].container.image = ${image('mpi-worker:v1')}`,
      `text ${arn('on-eks', 1)} eksProperties.podProperties.containers[0].env.HELPER = ${image('eks-helper:v2')}`,
      `exact ${arn('on-eks', 1)} eksProperties.podProperties.containers[0].image = ${image('eks-main:v1')}`,
      // sfm:5 is INACTIVE: the newest two ACTIVE revisions are 4 and 3
      `exact ${arn('sfm', 3)} containerProperties.image = ${image('sfm:r3')}`,
      `text ${arn('sfm', 4)} containerProperties.environment.NEXT_STAGE = ${image('3dgs:latest')}`,
      `exact ${arn('sfm', 4)} containerProperties.image = ${image('sfm:r4')}`,
    ])
  })

  it('pages through 230 job definition revisions (100 a page)', async () => {
    for (let i = 0; i < 230; i++) await containerJob(`job-${i % 46}`, image(`job:${i}`))
    const counter = countCalls(batch)

    const candidates = await scanBatch(batch)

    // 46 names with 5 revisions each: all 230 are among the newest five of their name.
    expect(candidates).toHaveLength(230)
    expect(counter.calls).toEqual({DescribeJobDefinitions: 3})
    counter.reset()
  })
})
