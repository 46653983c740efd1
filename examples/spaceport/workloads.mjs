// What production runs in the example account, for `ecrctl scan` and `inUse.aws` to find: the
// start_ml_job Lambda (code/start_ml_job, deployed as infrastructure/ml_pipeline_stack.py does it,
// with the production image URIs in its environment) and the SageMaker jobs it started, three of
// them still running. Load the registry first (load.mjs): the jobs name its images.
// Used by `npm run demo:registry` and the tests of the example.
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {CreateFunctionCommand, LambdaClient} from '@aws-sdk/client-lambda'
import {CreateProcessingJobCommand, CreateTrainingJobCommand, SageMakerClient} from '@aws-sdk/client-sagemaker'
import {EXAMPLE_REGISTRY} from './load.mjs'

const {accountId, region} = EXAMPLE_REGISTRY.registry
const ecr = `${accountId}.dkr.ecr.${region}.amazonaws.com`
const role = (name) => `arn:aws:iam::${accountId}:role/${name}`

export const PRODUCTION_IMAGES = {
  sfm: `${ecr}/spaceport/sfm:real-colmap-fixed-final`,
  '3dgs': `${ecr}/spaceport/3dgs:latest`,
  compressor: `${ecr}/spaceport/compressor:latest`,
}

/** The Lambda as the CDK stack deploys it: a Python zip function whose environment pins the images. */
export const START_ML_JOB = {
  name: 'start_ml_job',
  role: role('spaceport-start-ml-job'),
  environment: {
    SAGEMAKER_ROLE_ARN: role('spaceport-sagemaker-execution'),
    SFM_IMAGE_URI: PRODUCTION_IMAGES.sfm,
    GAUSSIAN_IMAGE_URI: PRODUCTION_IMAGES['3dgs'],
    COMPRESSOR_IMAGE_URI: PRODUCTION_IMAGES.compressor,
  },
}

/**
 * The jobs start_ml_job started for three uploads on the morning of 2025-01-31: one in each stage
 * right now, and the finished stages before them (a scan reads only jobs in progress).
 */
export const SAGEMAKER_JOBS = [
  {kind: 'processing', stage: 'sfm', name: 'spaceport-sfm-9f8e7d-1738303212', status: 'Completed'},
  {kind: 'training', stage: '3dgs', name: 'spaceport-3dgs-9f8e7d-1738306895', status: 'Completed'},
  {kind: 'processing', stage: 'compressor', name: 'spaceport-compressor-9f8e7d-1738316950', status: 'InProgress'},
  {kind: 'processing', stage: 'sfm', name: 'spaceport-sfm-a1b2c3-1738310733', status: 'Completed'},
  {kind: 'training', stage: '3dgs', name: 'spaceport-3dgs-a1b2c3-1738314427', status: 'InProgress'},
  {kind: 'processing', stage: 'sfm', name: 'spaceport-sfm-d4e5f6-1738317004', status: 'InProgress'},
]

/** The deployment package: code/start_ml_job zipped with a fixed timestamp (the same bytes every time). */
function startMlJobZip() {
  const source = readFileSync(new URL('./code/start_ml_job/lambda_function.py', import.meta.url))
  const program = [
    'import io, sys, zipfile',
    'buffer = io.BytesIO()',
    'with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:',
    '    archive.writestr(zipfile.ZipInfo("lambda_function.py", (2025, 1, 8, 0, 0, 0)), sys.stdin.buffer.read())',
    'sys.stdout.buffer.write(buffer.getvalue())',
  ].join('\n')
  return execFileSync('python3', ['-c', program], {input: source})
}

/**
 * IAM CreateRole as one Query API request (no IAM client is a dependency of ecrctl); Lambda
 * refuses a role that does not exist. The emulator routes by the credential scope and checks no
 * signature.
 */
async function createRole(endpoint, name, service) {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: name,
    AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]}),
  })
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=demo/20250131/${region}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  })
  if (!response.ok) throw new Error(`IAM CreateRole ${name} failed (HTTP ${response.status}): ${await response.text()}`)
}

async function setJobStatus(endpoint, kind, name, status) {
  const response = await fetch(`${endpoint}/_moto_ext/sagemaker/job-status`, {method: 'POST', body: JSON.stringify({kind, name, status})})
  if (!response.ok) throw new Error(`job-status hook failed for ${name} (HTTP ${response.status}): ${await response.text()}`)
}

function createJobCommand(job) {
  const image = PRODUCTION_IMAGES[job.stage]
  const jobId = job.name.split('-')[2]
  const input = `s3://spaceport-ml-processing/jobs/${jobId}/${job.stage === 'sfm' ? 'frames' : job.stage === '3dgs' ? 'sfm' : '3dgs'}/`
  const output = `s3://spaceport-ml-processing/jobs/${jobId}/${job.stage}/`
  const roleArn = START_ML_JOB.environment.SAGEMAKER_ROLE_ARN
  if (job.kind === 'training') {
    return new CreateTrainingJobCommand({
      TrainingJobName: job.name,
      RoleArn: roleArn,
      AlgorithmSpecification: {TrainingImage: image, TrainingInputMode: 'File'},
      InputDataConfig: [{ChannelName: 'training', DataSource: {S3DataSource: {S3DataType: 'S3Prefix', S3Uri: input, S3DataDistributionType: 'FullyReplicated'}}}],
      OutputDataConfig: {S3OutputPath: output},
      ResourceConfig: {InstanceType: 'ml.g4dn.xlarge', InstanceCount: 1, VolumeSizeInGB: 100},
      StoppingCondition: {MaxRuntimeInSeconds: 8 * 3600},
      Environment: {JOB_ID: jobId},
    })
  }
  return new CreateProcessingJobCommand({
    ProcessingJobName: job.name,
    RoleArn: roleArn,
    AppSpecification: {ImageUri: image},
    ProcessingResources: {ClusterConfig: {InstanceCount: 1, InstanceType: 'ml.c6i.4xlarge', VolumeSizeInGB: 100}},
    ProcessingInputs: [{InputName: 'input', S3Input: {S3Uri: input, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File'}}],
    ProcessingOutputConfig: {Outputs: [{OutputName: 'output', S3Output: {S3Uri: output, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob'}}]},
    StoppingCondition: {MaxRuntimeInSeconds: (job.stage === 'sfm' ? 6 : 2) * 3600},
  })
}

export async function loadExampleWorkloads(endpoint) {
  const connection = {endpoint, region, credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'}}
  const lambda = new LambdaClient(connection)
  const sagemaker = new SageMakerClient(connection)
  try {
    await createRole(endpoint, 'spaceport-start-ml-job', 'lambda.amazonaws.com')
    await createRole(endpoint, 'spaceport-sagemaker-execution', 'sagemaker.amazonaws.com')
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: START_ML_JOB.name,
        Role: START_ML_JOB.role,
        Runtime: 'python3.12',
        Handler: 'lambda_function.lambda_handler',
        Code: {ZipFile: startMlJobZip()},
        Timeout: 30,
        MemorySize: 256,
        Environment: {Variables: START_ML_JOB.environment},
      }),
    )
    for (const job of SAGEMAKER_JOBS) {
      await sagemaker.send(createJobCommand(job))
      if (job.status !== 'InProgress') await setJobStatus(endpoint, job.kind, job.name, job.status)
    }
  } finally {
    lambda.destroy()
    sagemaker.destroy()
  }
  return {functions: 1, jobsInProgress: SAGEMAKER_JOBS.filter((job) => job.status === 'InProgress').length, jobs: SAGEMAKER_JOBS.length}
}
