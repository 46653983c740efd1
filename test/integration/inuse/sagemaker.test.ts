/**
 * scanSageMaker against the emulator: models (primary container, inference pipeline containers,
 * a model package's containers), jobs in progress (training, processing, transform through its
 * model) and not finished ones only, pipeline definitions as text, and paging.
 */
import {
  CreateModelCommand,
  CreateModelPackageCommand,
  CreatePipelineCommand,
  CreateProcessingJobCommand,
  CreateTrainingJobCommand,
  CreateTransformJobCommand,
  DeleteModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import {createSageMakerClient, scanSageMaker} from '../../../src/registry/inuse/sagemaker.js'
import {startEmulator, type Emulator} from '../../support/emulator.js'
import {ACCOUNT, REGION, REGISTRY, ROLE, connection, countCalls, lines, useTestCredentials} from './fixture.js'

let emulator: Emulator
let sagemaker: SageMakerClient

beforeAll(async () => {
  useTestCredentials()
  emulator = await startEmulator()
  sagemaker = createSageMakerClient(connection(emulator.endpoint))
})
afterAll(async () => {
  sagemaker?.destroy()
  await emulator?.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

const arn = (kind: string, name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${kind}/${name}`
const image = (name: string) => `${REGISTRY}/spaceport/${name}`

/** The emulator's hook: real jobs end on their own; here a test ends them. */
async function setJobStatus(kind: 'training' | 'processing' | 'transform', name: string, status: string): Promise<void> {
  const response = await fetch(`${emulator.endpoint}/_moto_ext/sagemaker/job-status`, {method: 'POST', body: JSON.stringify({kind, name, status})})
  if (!response.ok) throw new Error(`job-status hook: HTTP ${response.status} ${await response.text()}`)
}

async function trainingJob(name: string, trainingImage: string): Promise<void> {
  await sagemaker.send(
    new CreateTrainingJobCommand({
      TrainingJobName: name,
      AlgorithmSpecification: {TrainingImage: trainingImage, TrainingInputMode: 'File'},
      RoleArn: ROLE,
      OutputDataConfig: {S3OutputPath: 's3://bucket/out'},
      ResourceConfig: {InstanceType: 'ml.g4dn.xlarge', InstanceCount: 1, VolumeSizeInGB: 30},
      StoppingCondition: {MaxRuntimeInSeconds: 3600},
      Environment: {COMPRESSOR: image('compressor:latest')},
    }),
  )
}

describe('scanSageMaker', () => {
  it('reads models, jobs in progress and pipeline definitions, with their evidence', async () => {
    await sagemaker.send(new CreateModelCommand({ModelName: 'sfm', ExecutionRoleArn: ROLE, PrimaryContainer: {Image: image('sfm:real-colmap-fixed-final'), Environment: {STAGE: 'prod'}}}))
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: 'chain',
        ExecutionRoleArn: ROLE,
        Containers: [{Image: image('3dgs:latest')}, {Image: image('compressor:latest')}],
      }),
    )
    await trainingJob('train-now', image('3dgs:latest'))
    await trainingJob('train-done', image('3dgs:old'))
    await setJobStatus('training', 'train-done', 'Completed')
    await sagemaker.send(
      new CreateProcessingJobCommand({
        ProcessingJobName: 'unzip',
        RoleArn: ROLE,
        AppSpecification: {ImageUri: image('sagemaker-unzip:latest')},
        ProcessingResources: {ClusterConfig: {InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10}},
        StoppingCondition: {MaxRuntimeInSeconds: 600},
      }),
    )
    await sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: 'score',
        ModelName: 'sfm',
        TransformInput: {DataSource: {S3DataSource: {S3DataType: 'S3Prefix', S3Uri: 's3://bucket/in'}}},
        TransformOutput: {S3OutputPath: 's3://bucket/scored'},
        TransformResources: {InstanceType: 'ml.m5.large', InstanceCount: 1},
      }),
    )
    const definition = JSON.stringify({Version: '2020-12-01', Steps: [{Name: 'Train', Type: 'Training', Arguments: {AlgorithmSpecification: {TrainingImage: image('sfm:pipeline')}}}]})
    await sagemaker.send(new CreatePipelineCommand({PipelineName: 'nightly', PipelineDefinition: definition, RoleArn: ROLE, ClientRequestToken: 'nightly-token-0000000000001'}))

    const candidates = await scanSageMaker(sagemaker)

    expect(lines(candidates)).toEqual([
      `exact ${arn('model', 'chain')} Containers[0].Image = ${image('3dgs:latest')}`,
      `exact ${arn('model', 'chain')} Containers[1].Image = ${image('compressor:latest')}`,
      `text ${arn('model', 'sfm')} PrimaryContainer.Environment.STAGE = prod`,
      `exact ${arn('model', 'sfm')} PrimaryContainer.Image = ${image('sfm:real-colmap-fixed-final')}`,
      `text ${arn('pipeline', 'nightly')} PipelineDefinition.Steps[0].Arguments.AlgorithmSpecification.TrainingImage = ${image('sfm:pipeline')}`,
      `text ${arn('pipeline', 'nightly')} PipelineDefinition.Steps[0].Name = Train`,
      `text ${arn('pipeline', 'nightly')} PipelineDefinition.Steps[0].Type = Training`,
      `text ${arn('pipeline', 'nightly')} PipelineDefinition.Version = 2020-12-01`,
      `exact ${arn('processing-job', 'unzip')} AppSpecification.ImageUri = ${image('sagemaker-unzip:latest')}`,
      `exact ${arn('training-job', 'train-now')} AlgorithmSpecification.TrainingImage = ${image('3dgs:latest')}`,
      `text ${arn('training-job', 'train-now')} Environment.COMPRESSOR = ${image('compressor:latest')}`,
      `text ${arn('transform-job', 'score')} ModelName(sfm).PrimaryContainer.Environment.STAGE = prod`,
      `exact ${arn('transform-job', 'score')} ModelName(sfm).PrimaryContainer.Image = ${image('sfm:real-colmap-fixed-final')}`,
    ])
  })

  it('follows a model that names a model package to the package’s images', async () => {
    const created = await sagemaker.send(
      new CreateModelPackageCommand({
        ModelPackageName: 'sfm-package',
        InferenceSpecification: {Containers: [{Image: image('sfm:packaged')}], SupportedContentTypes: ['application/json'], SupportedResponseMIMETypes: ['application/json']},
      }),
    )
    await sagemaker.send(new CreateModelCommand({ModelName: 'from-package', ExecutionRoleArn: ROLE, PrimaryContainer: {ModelPackageName: created.ModelPackageArn}}))

    const candidates = await scanSageMaker(sagemaker)

    expect(lines(candidates)).toEqual([`exact ${arn('model', 'from-package')} PrimaryContainer.ModelPackageName(${created.ModelPackageArn}).InferenceSpecification.Containers[0].Image = ${image('sfm:packaged')}`])
  })

  it('fails closed when a transform job runs a model that no longer exists (SageMaker answers ValidationException)', async () => {
    await sagemaker.send(new CreateModelCommand({ModelName: 'gone', ExecutionRoleArn: ROLE, PrimaryContainer: {Image: image('sfm:v1')}}))
    await sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: 'orphan',
        ModelName: 'gone',
        TransformInput: {DataSource: {S3DataSource: {S3DataType: 'S3Prefix', S3Uri: 's3://bucket/in'}}},
        TransformOutput: {S3OutputPath: 's3://bucket/out'},
        TransformResources: {InstanceType: 'ml.m5.large', InstanceCount: 1},
      }),
    )
    await sagemaker.send(new DeleteModelCommand({ModelName: 'gone'}))

    const error = await scanSageMaker(sagemaker).catch((e: unknown) => e)

    // SageMaker says "ValidationException: Could not find model": not taken for "gone" (that would
    // need the message text), so the scan stops naming the call, and the detail says why.
    expect(error).toBeInstanceOf(EcrctlError)
    expect((error as EcrctlError).message).toBe('Cannot scan SageMaker for images in use: sagemaker:DescribeModel on model gone failed.')
    expect((error as EcrctlError).format()).toMatch(/ValidationException: Could not find model/)
  })

  it('pages through 205 models (100 a page)', async () => {
    for (let i = 0; i < 205; i++) {
      await sagemaker.send(new CreateModelCommand({ModelName: `m-${String(i).padStart(3, '0')}`, ExecutionRoleArn: ROLE, PrimaryContainer: {Image: image(`m:${i}`)}}))
    }
    const counter = countCalls(sagemaker)

    const candidates = await scanSageMaker(sagemaker, {concurrency: 4})

    expect(candidates).toHaveLength(205)
    expect(new Set(candidates.map((c) => c.value)).size).toBe(205)
    expect(counter.calls).toEqual({ListModels: 3, DescribeModel: 205, ListTrainingJobs: 1, ListProcessingJobs: 1, ListTransformJobs: 1, ListPipelines: 1})
    counter.reset()
  })
})
