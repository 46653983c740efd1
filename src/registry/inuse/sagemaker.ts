/**
 * SageMaker in-use scanner: every model (its primary container and inference pipeline containers,
 * following a container that names a model package to the package's images), training,
 * processing and transform jobs in progress (a transform job through its model), and pipeline
 * definitions (every string in the JSON as text with its path: a step names its image there).
 */
import {
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribePipelineCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  ListModelsCommand,
  ListPipelinesCommand,
  ListProcessingJobsCommand,
  ListTrainingJobsCommand,
  ListTransformJobsCommand,
  SageMakerClient,
  type ContainerDefinition,
  type DescribeModelCommandOutput,
  type DescribeModelPackageCommandOutput,
} from '@aws-sdk/client-sagemaker'
import type {CandidateString} from '../../model/in-use.js'
import {createServiceClient, type ServiceConnectionOptions} from './clients.js'
import {incompleteReadError} from './errors.js'
import {CandidateList, SourceReader, errorNamed} from './reading.js'

export interface SageMakerScanOptions {
  concurrency?: number
}

export function createSageMakerClient(options: ServiceConnectionOptions = {}): SageMakerClient {
  return createServiceClient('sagemaker', SageMakerClient, options)
}

/**
 * A resource deleted since it was listed. SageMaker reports a missing model or job as a
 * ValidationException, which also means "bad request"; telling them apart would take the message
 * text, and a wrong guess would skip something in use, so only ResourceNotFound counts as gone
 * and a ValidationException stops the scan (a re-run reads the listing afresh).
 */
const gone = errorNamed('ResourceNotFound')

type Model = DescribeModelCommandOutput
type ModelPackage = DescribeModelPackageCommandOutput

export async function scanSageMaker(client: SageMakerClient, options: SageMakerScanOptions = {}): Promise<CandidateString[]> {
  const reader = new SourceReader('sagemaker', options.concurrency)
  const found = new CandidateList('sagemaker')

  const models = new Map<string, Promise<Model | undefined>>()
  const describeModel = (name: string): Promise<Model | undefined> => {
    let pending = models.get(name)
    if (!pending) {
      pending = reader.call('sagemaker:DescribeModel', `model ${name}`, () => client.send(new DescribeModelCommand({ModelName: name})), gone)
      models.set(name, pending)
    }
    return pending
  }
  const packages = new Map<string, Promise<ModelPackage>>()
  const describePackage = (name: string): Promise<ModelPackage> => {
    let pending = packages.get(name)
    if (!pending) {
      pending = reader.call('sagemaker:DescribeModelPackage', `model package ${name}`, () => client.send(new DescribeModelPackageCommand({ModelPackageName: name})))
      packages.set(name, pending)
    }
    return pending
  }

  /** A model's images as seen from `resource` (the model itself, or a transform job running it). */
  const addModel = async (model: Model, resource: string, prefix: string): Promise<void> => {
    const containers: Array<[field: string, container: ContainerDefinition]> = []
    if (model.PrimaryContainer) containers.push(['PrimaryContainer', model.PrimaryContainer])
    for (const [index, container] of (model.Containers ?? []).entries()) containers.push([`Containers[${index}]`, container])
    await reader.each(containers, async ([field, container]) => {
      found.exact(container.Image, resource, `${prefix}${field}.Image`)
      found.textMap(container.Environment, resource, `${prefix}${field}.Environment`)
      if (container.ModelPackageName) {
        const modelPackage = await describePackage(container.ModelPackageName)
        for (const [index, packaged] of (modelPackage.InferenceSpecification?.Containers ?? []).entries()) {
          const packagedField = `${prefix}${field}.ModelPackageName(${container.ModelPackageName}).InferenceSpecification.Containers[${index}]`
          found.exact(packaged.Image, resource, `${packagedField}.Image`)
          found.textMap(packaged.Environment, resource, `${packagedField}.Environment`)
        }
      }
    })
  }

  const scanModels = async (): Promise<void> => {
    const listed = await reader.pages(
      'sagemaker:ListModels',
      'all models',
      (NextToken) => client.send(new ListModelsCommand({MaxResults: 100, NextToken})),
      (page) => ({items: page.Models, next: page.NextToken}),
    )
    await reader.each(listed, async ({ModelName}) => {
      const model = await describeModel(ModelName!)
      if (model) await addModel(model, model.ModelArn ?? `model ${ModelName}`, '')
    })
  }

  const scanTrainingJobs = async (): Promise<void> => {
    const jobs = await reader.pages(
      'sagemaker:ListTrainingJobs',
      'training jobs in progress',
      (NextToken) => client.send(new ListTrainingJobsCommand({StatusEquals: 'InProgress', MaxResults: 100, NextToken})),
      (page) => ({items: page.TrainingJobSummaries, next: page.NextToken}),
    )
    await reader.each(jobs, async ({TrainingJobName, TrainingJobArn}) => {
      const job = await reader.call('sagemaker:DescribeTrainingJob', TrainingJobArn ?? TrainingJobName!, () => client.send(new DescribeTrainingJobCommand({TrainingJobName})), gone)
      if (!job) return
      const resource = job.TrainingJobArn ?? TrainingJobArn ?? TrainingJobName!
      found.exact(job.AlgorithmSpecification?.TrainingImage, resource, 'AlgorithmSpecification.TrainingImage')
      found.textMap(job.Environment, resource, 'Environment')
    })
  }

  const scanProcessingJobs = async (): Promise<void> => {
    const jobs = await reader.pages(
      'sagemaker:ListProcessingJobs',
      'processing jobs in progress',
      (NextToken) => client.send(new ListProcessingJobsCommand({StatusEquals: 'InProgress', MaxResults: 100, NextToken})),
      (page) => ({items: page.ProcessingJobSummaries, next: page.NextToken}),
    )
    await reader.each(jobs, async ({ProcessingJobName, ProcessingJobArn}) => {
      const job = await reader.call('sagemaker:DescribeProcessingJob', ProcessingJobArn ?? ProcessingJobName!, () => client.send(new DescribeProcessingJobCommand({ProcessingJobName})), gone)
      if (!job) return
      const resource = job.ProcessingJobArn ?? ProcessingJobArn ?? ProcessingJobName!
      found.exact(job.AppSpecification?.ImageUri, resource, 'AppSpecification.ImageUri')
      found.textMap(job.Environment, resource, 'Environment')
    })
  }

  const scanTransformJobs = async (): Promise<void> => {
    const jobs = await reader.pages(
      'sagemaker:ListTransformJobs',
      'transform jobs in progress',
      (NextToken) => client.send(new ListTransformJobsCommand({StatusEquals: 'InProgress', MaxResults: 100, NextToken})),
      (page) => ({items: page.TransformJobSummaries, next: page.NextToken}),
    )
    await reader.each(jobs, async ({TransformJobName, TransformJobArn}) => {
      const job = await reader.call('sagemaker:DescribeTransformJob', TransformJobArn ?? TransformJobName!, () => client.send(new DescribeTransformJobCommand({TransformJobName})), gone)
      if (!job?.ModelName) return
      const resource = job.TransformJobArn ?? TransformJobArn ?? TransformJobName!
      found.textMap(job.Environment, resource, 'Environment')
      const model = await describeModel(job.ModelName)
      if (!model) {
        // The job keeps running on containers of a model that no longer exists: their images
        // cannot be known, so nothing can be said safe to delete.
        throw incompleteReadError(
          'sagemaker',
          resource,
          `the transform job runs model ${job.ModelName}, which no longer exists, so the images it runs cannot be read`,
          'Wait for the transform job to finish (or stop it), or remove `sagemaker` from `inUse.aws` and protect its images with keep rules.',
        )
      }
      await addModel(model, resource, `ModelName(${job.ModelName}).`)
    })
  }

  const scanPipelines = async (): Promise<void> => {
    const pipelines = await reader.pages(
      'sagemaker:ListPipelines',
      'all pipelines',
      (NextToken) => client.send(new ListPipelinesCommand({MaxResults: 100, NextToken})),
      (page) => ({items: page.PipelineSummaries, next: page.NextToken}),
    )
    await reader.each(pipelines, async ({PipelineName, PipelineArn}) => {
      const pipeline = await reader.call('sagemaker:DescribePipeline', PipelineArn ?? PipelineName!, () => client.send(new DescribePipelineCommand({PipelineName})), gone)
      if (!pipeline) return
      found.jsonText(pipeline.PipelineDefinition, pipeline.PipelineArn ?? PipelineArn ?? PipelineName!, 'PipelineDefinition')
    })
  }

  await Promise.all([scanModels(), scanTrainingJobs(), scanProcessingJobs(), scanTransformJobs(), scanPipelines()])
  return found.sorted()
}
