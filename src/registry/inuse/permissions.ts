/**
 * The IAM actions each in-use scanner calls: the read policy a user grants (docs/in-use.md prints
 * it from this table; a unit test checks that the scanners call nothing else).
 */
import type {AwsInUseSource} from './clients.js'

export const IAM_READ_PERMISSIONS: Record<AwsInUseSource, readonly string[]> = {
  batch: ['batch:DescribeJobDefinitions'],
  ecs: [
    'ecs:DescribeServiceRevisions',
    'ecs:DescribeServices',
    'ecs:DescribeTaskDefinition',
    'ecs:DescribeTasks',
    'ecs:ListClusters',
    'ecs:ListServices',
    'ecs:ListTaskDefinitionFamilies',
    'ecs:ListTaskDefinitions',
    'ecs:ListTasks',
  ],
  lambda: ['lambda:GetFunction', 'lambda:ListAliases', 'lambda:ListFunctions', 'lambda:ListVersionsByFunction'],
  sagemaker: [
    'sagemaker:DescribeModel',
    'sagemaker:DescribeModelPackage',
    'sagemaker:DescribePipeline',
    'sagemaker:DescribeProcessingJob',
    'sagemaker:DescribeTrainingJob',
    'sagemaker:DescribeTransformJob',
    'sagemaker:ListModels',
    'sagemaker:ListPipelines',
    'sagemaker:ListProcessingJobs',
    'sagemaker:ListTrainingJobs',
    'sagemaker:ListTransformJobs',
  ],
  stepfunctions: [
    'states:DescribeStateMachine',
    'states:DescribeStateMachineAlias',
    'states:ListStateMachineAliases',
    'states:ListStateMachineVersions',
    'states:ListStateMachines',
  ],
}

/** An IAM policy document granting what the given scanners read, on every resource. */
export function inUseReadPolicy(sources: readonly AwsInUseSource[]): {Version: '2012-10-17'; Statement: Array<{Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*'}>} {
  return {
    Version: '2012-10-17',
    Statement: [...sources].sort().map((source) => ({
      Sid: `EcrctlInUse${source[0]!.toUpperCase()}${source.slice(1)}`,
      Effect: 'Allow' as const,
      Action: [...IAM_READ_PERMISSIONS[source]],
      Resource: '*' as const,
    })),
  }
}
