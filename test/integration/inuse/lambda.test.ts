/**
 * scanLambda against the emulator: $LATEST, alias targets (weighted ones too) and the newest N
 * versions of image functions (ImageUri and the digest Lambda resolved), environment values of
 * image and zip functions, and paging.
 */
import {execFileSync} from 'node:child_process'
import type {ECRClient} from '@aws-sdk/client-ecr'
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createLambdaClient, scanLambda} from '../../../src/registry/inuse/lambda.js'
import {startEmulator, type Emulator} from '../../support/emulator.js'
import {createRepository, pushImage, testEcrClient, type Manifest} from '../../support/push.js'
import {ACCOUNT, REGION, REGISTRY, ROLE, connection, countCalls, createTestRole, lines, useTestCredentials} from './fixture.js'

let emulator: Emulator
let ecr: ECRClient
let lambda: LambdaClient

beforeAll(async () => {
  useTestCredentials()
  emulator = await startEmulator()
  ecr = testEcrClient(emulator.endpoint)
  lambda = createLambdaClient(connection(emulator.endpoint))
})
afterAll(async () => {
  lambda?.destroy()
  ecr?.destroy()
  await emulator?.stop()
})
beforeEach(async () => {
  await emulator.reset()
  await createTestRole(emulator.endpoint)
})

const functionArn = (name: string, qualifier?: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`

/** A real zip archive with one handler file (python3 is there: the emulator needs it). */
const zipFile = (): Uint8Array =>
  execFileSync('python3', [
    '-c',
    'import io,sys,zipfile\nb=io.BytesIO()\nwith zipfile.ZipFile(b,"w") as z: z.writestr("lambda_function.py","def handler(e, c): pass")\nsys.stdout.buffer.write(b.getvalue())',
  ])

async function imageFunction(name: string, imageUri: string, environment: Record<string, string> = {}): Promise<void> {
  await lambda.send(new CreateFunctionCommand({FunctionName: name, Role: ROLE, PackageType: 'Image', Code: {ImageUri: imageUri}, Environment: {Variables: environment}}))
}

describe('scanLambda', () => {
  it('reads $LATEST, the newest N versions and every version an alias routes to, with ImageUri and ResolvedImageUri', async () => {
    await createRepository(ecr, 'inuse/fn')
    const pushed: Record<string, Manifest> = {}
    for (const tag of ['v1', 'v2', 'v3', 'v4']) pushed[tag] = await pushImage(ecr, 'inuse/fn', {seed: `fn-${tag}`, tags: [tag]})
    const image = (tag: string) => `${REGISTRY}/inuse/fn:${tag}`
    const resolved = (tag: string) => `${REGISTRY}/inuse/fn@${pushed[tag]!.digest}`

    await imageFunction('start_ml_job', image('v1'), {SFM_IMAGE: `${REGISTRY}/spaceport/sfm:real-colmap-fixed-final`})
    await lambda.send(new PublishVersionCommand({FunctionName: 'start_ml_job'})) // 1: v1
    for (const tag of ['v2', 'v3']) {
      await lambda.send(new UpdateFunctionCodeCommand({FunctionName: 'start_ml_job', ImageUri: image(tag)}))
      await lambda.send(new PublishVersionCommand({FunctionName: 'start_ml_job'})) // 2: v2, 3: v3
    }
    await lambda.send(new UpdateFunctionCodeCommand({FunctionName: 'start_ml_job', ImageUri: image('v4')}))
    await lambda.send(new UpdateFunctionConfigurationCommand({FunctionName: 'start_ml_job', Environment: {Variables: {SFM_IMAGE: 'spaceport/sfm:next'}}}))
    // prod runs version 1, and sends 10% of its traffic to version 2
    await lambda.send(new CreateAliasCommand({FunctionName: 'start_ml_job', Name: 'prod', FunctionVersion: '1', RoutingConfig: {AdditionalVersionWeights: {'2': 0.1}}}))

    const candidates = await scanLambda(lambda, {versions: 1})

    const prod = functionArn('start_ml_job', 'prod')
    const latest = functionArn('start_ml_job', '$LATEST')
    const three = functionArn('start_ml_job', '3')
    const oldEnv = `${REGISTRY}/spaceport/sfm:real-colmap-fixed-final`
    expect(lines(candidates)).toEqual([
      // sorted by resource: ':$LATEST' before ':3' ('$' < '3')
      `exact ${latest} Code.ImageUri = ${image('v4')}`,
      `exact ${latest} Code.ResolvedImageUri = ${resolved('v4')}`,
      `text ${latest} Environment.Variables.SFM_IMAGE = spaceport/sfm:next`,
      // version 3 is the newest (versions: 1); 1 and 2 are read because prod routes to them
      `exact ${three} Code.ImageUri = ${image('v3')}`,
      `exact ${three} Code.ResolvedImageUri = ${resolved('v3')}`,
      `text ${three} Environment.Variables.SFM_IMAGE = ${oldEnv}`,
      `exact ${prod} FunctionVersion(1).Code.ImageUri = ${image('v1')}`,
      `exact ${prod} FunctionVersion(1).Code.ResolvedImageUri = ${resolved('v1')}`,
      `text ${prod} FunctionVersion(1).Environment.Variables.SFM_IMAGE = ${oldEnv}`,
      `exact ${prod} RoutingConfig.AdditionalVersionWeights(2).Code.ImageUri = ${image('v2')}`,
      `exact ${prod} RoutingConfig.AdditionalVersionWeights(2).Code.ResolvedImageUri = ${resolved('v2')}`,
      `text ${prod} RoutingConfig.AdditionalVersionWeights(2).Environment.Variables.SFM_IMAGE = ${oldEnv}`,
    ])
    expect(candidates.every((c) => c.evidence.source === 'lambda')).toBe(true)
  })

  it('reads the environment of zip functions without fetching their code', async () => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'zipped',
        Role: ROLE,
        Runtime: 'python3.12',
        Handler: 'lambda_function.handler',
        Code: {ZipFile: zipFile()},
        Environment: {Variables: {EXTRACTOR: 'sagemaker-unzip:latest', EMPTY: ''}},
      }),
    )
    const counter = countCalls(lambda)

    const candidates = await scanLambda(lambda)

    expect(lines(candidates)).toEqual([`text ${functionArn('zipped', '$LATEST')} Environment.Variables.EXTRACTOR = sagemaker-unzip:latest`])
    expect(counter.calls).toEqual({ListFunctions: 1, ListAliases: 1, ListVersionsByFunction: 1})
    counter.reset()
  })

  it('pages through 55 functions, 55 versions and 55 aliases (50 a page)', async () => {
    await createRepository(ecr, 'inuse/many')
    await pushImage(ecr, 'inuse/many', {seed: 'many', tags: ['v1']})
    for (let i = 0; i < 55; i++) await imageFunction(`fn-${String(i).padStart(2, '0')}`, `${REGISTRY}/inuse/many:v1`)
    for (let i = 0; i < 55; i++) {
      await lambda.send(new UpdateFunctionConfigurationCommand({FunctionName: 'fn-00', Environment: {Variables: {N: String(i)}}}))
      const {Version} = await lambda.send(new PublishVersionCommand({FunctionName: 'fn-00'}))
      await lambda.send(new CreateAliasCommand({FunctionName: 'fn-00', Name: `a${i}`, FunctionVersion: Version}))
    }
    const counter = countCalls(lambda)

    const candidates = await scanLambda(lambda, {versions: 2})

    expect(new Set(candidates.map((c) => c.evidence.resource.replace(/:[^:]*$/, ''))).size).toBe(55)
    // Every alias' version was read, including the oldest ones on the first page of versions.
    for (let i = 0; i < 55; i++) expect(candidates.some((c) => c.evidence.resource === functionArn('fn-00', `a${i}`) && c.value === String(i))).toBe(true)
    expect(counter.calls.ListFunctions).toBe(2)
    expect(counter.calls.ListAliases).toBe(55 + 1)
    expect(counter.calls.ListVersionsByFunction).toBe(55 + 1) // fn-00 has $LATEST + 55 versions
    expect(counter.calls.GetFunction).toBe(55 + 55) // $LATEST of each, and all 55 versions of fn-00 (aliases)
    counter.reset()
  })
})

describe('the emulator’s Lambda', () => {
  it('refuses an image function whose image does not exist, as Lambda does', async () => {
    await expect(imageFunction('broken', `${REGISTRY}/inuse/nothing:v1`)).rejects.toThrow(/Source image .*inuse\/nothing:v1 does not exist/)
  })
})
