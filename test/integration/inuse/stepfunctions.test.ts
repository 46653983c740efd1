/**
 * scanStepFunctions against the emulator: the latest definition of every state machine, the
 * newest N published versions and every version an alias routes to, as free text; paging.
 */
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  ListStateMachineVersionsCommand,
  SFNClient,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createStepFunctionsClient, scanStepFunctions} from '../../../src/registry/inuse/stepfunctions.js'
import {startEmulator, type Emulator} from '../../support/emulator.js'
import {ACCOUNT, REGION, REGISTRY, ROLE, connection, countCalls, lines, useTestCredentials} from './fixture.js'

let emulator: Emulator
let sfn: SFNClient

beforeAll(async () => {
  useTestCredentials()
  emulator = await startEmulator()
  sfn = createStepFunctionsClient(connection(emulator.endpoint))
})
afterAll(async () => {
  sfn?.destroy()
  await emulator?.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

const machineArn = (name: string, qualifier?: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}${qualifier ? `:${qualifier}` : ''}`

/** A state that starts a SageMaker training job with the given image. */
const definition = (tag: string) =>
  JSON.stringify({
    StartAt: 'Train',
    States: {
      Train: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
        Parameters: {AlgorithmSpecification: {TrainingImage: `${REGISTRY}/spaceport/3dgs:${tag}`, TrainingInputMode: 'File'}},
        End: true,
      },
    },
  })

describe('scanStepFunctions', () => {
  it('reads the latest definition, the newest N versions and every version an alias routes to', async () => {
    const created = await sfn.send(new CreateStateMachineCommand({name: 'ml-pipeline', definition: definition('v1'), roleArn: ROLE, publish: true}))
    for (const tag of ['v2', 'v3']) await sfn.send(new UpdateStateMachineCommand({stateMachineArn: created.stateMachineArn, definition: definition(tag), publish: true}))
    await sfn.send(new UpdateStateMachineCommand({stateMachineArn: created.stateMachineArn, definition: definition('draft')}))
    const alias = await sfn.send(
      new CreateStateMachineAliasCommand({name: 'live', routingConfiguration: [{stateMachineVersionArn: machineArn('ml-pipeline', '1'), weight: 100}]}),
    )

    const candidates = await scanStepFunctions(sfn, {versions: 1})

    const image = '.States.Train.Parameters.AlgorithmSpecification.TrainingImage'
    expect(lines(candidates.filter((c) => c.evidence.field.endsWith(image)))).toEqual([
      `text ${machineArn('ml-pipeline')} definition${image} = ${REGISTRY}/spaceport/3dgs:draft`,
      `text ${machineArn('ml-pipeline', '3')} definition${image} = ${REGISTRY}/spaceport/3dgs:v3`,
      `text ${alias.stateMachineAliasArn} routingConfiguration(1).definition${image} = ${REGISTRY}/spaceport/3dgs:v1`,
    ])
    // Every string of the three definitions read (StartAt, Type, Resource, the image, the mode), as text.
    expect(candidates).toHaveLength(3 * 5)
    expect(candidates.every((c) => c.evidence.source === 'stepfunctions' && !c.exact)).toBe(true)
  })

  it('pages through 105 state machines (100 a page)', async () => {
    for (let i = 0; i < 105; i++) await sfn.send(new CreateStateMachineCommand({name: `m-${i}`, definition: definition(String(i)), roleArn: ROLE}))
    const counter = countCalls(sfn)

    const candidates = await scanStepFunctions(sfn)

    expect(candidates.filter((c) => c.evidence.field.endsWith('.TrainingImage'))).toHaveLength(105)
    expect(counter.calls).toEqual({ListStateMachines: 2, ListStateMachineVersions: 105, ListStateMachineAliases: 105, DescribeStateMachine: 105})
    counter.reset()
  })
})

describe('the emulator’s Step Functions', () => {
  it('lists state machine versions newest first, in pages', async () => {
    const created = await sfn.send(new CreateStateMachineCommand({name: 'versions', definition: definition('a'), roleArn: ROLE, publish: true}))
    for (let i = 0; i < 4; i++) await sfn.send(new UpdateStateMachineCommand({stateMachineArn: created.stateMachineArn, definition: definition(`v${i}`), publish: true}))
    const first = await sfn.send(new ListStateMachineVersionsCommand({stateMachineArn: created.stateMachineArn, maxResults: 3}))
    const second = await sfn.send(new ListStateMachineVersionsCommand({stateMachineArn: created.stateMachineArn, maxResults: 3, nextToken: first.nextToken}))
    expect([...first.stateMachineVersions!, ...second.stateMachineVersions!].map((v) => v.stateMachineVersionArn)).toEqual(
      ['5', '4', '3', '2', '1'].map((version) => machineArn('versions', version)),
    )
    expect(second.nextToken).toBeUndefined()
  })
})
