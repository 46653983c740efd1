/**
 * Step Functions in-use scanner: the definition of every state machine, of every version an alias
 * routes to, and of the newest N published versions. An ECS RunTask, a Batch SubmitJob or a
 * SageMaker CreateTrainingJob state names its image inside the JSON: every string in it is text,
 * with its JSON path (`definition.States.Train.Parameters.AlgorithmSpecification.TrainingImage`).
 */
import {
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn'
import {DEFAULT_NEWEST_REVISIONS, type CandidateString} from '../../model/in-use.js'
import {createServiceClient, type ServiceConnectionOptions} from './clients.js'
import {CandidateList, SourceReader, errorNamed} from './reading.js'

export const DEFAULT_STATE_MACHINE_VERSIONS = DEFAULT_NEWEST_REVISIONS

export interface StepFunctionsScanOptions {
  concurrency?: number
  /** Newest published versions read per state machine (besides alias targets); default 5. */
  versions?: number
}

export function createStepFunctionsClient(options: ServiceConnectionOptions = {}): SFNClient {
  return createServiceClient('stepfunctions', SFNClient, options)
}

/** A state machine, version or alias deleted since it was listed is not in use. */
const gone = errorNamed('StateMachineDoesNotExist', 'ResourceNotFound')

/** `arn:…:stateMachine:name:7` → `7`. */
const versionOf = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1)

export async function scanStepFunctions(client: SFNClient, options: StepFunctionsScanOptions = {}): Promise<CandidateString[]> {
  const reader = new SourceReader('stepfunctions', options.concurrency)
  const newestCount = options.versions ?? DEFAULT_STATE_MACHINE_VERSIONS
  const found = new CandidateList('stepfunctions')

  const machines = await reader.pages(
    'states:ListStateMachines',
    'all state machines',
    (nextToken) => client.send(new ListStateMachinesCommand({maxResults: 100, nextToken})),
    (page) => ({items: page.stateMachines, next: page.nextToken}),
  )

  /** Reads one definition (of a machine or a version) and records it for each resource that uses it. */
  const readDefinition = async (arn: string, uses: Array<{resource: string; field: string}>): Promise<void> => {
    const machine = await reader.call('states:DescribeStateMachine', arn, () => client.send(new DescribeStateMachineCommand({stateMachineArn: arn})), gone)
    for (const {resource, field} of machine ? uses : []) found.jsonText(machine!.definition, resource, field)
  }

  const scanMachine = async (machineArn: string): Promise<void> => {
    const [versions, aliases] = await Promise.all([
      newestCount > 0
        ? reader.pages(
            'states:ListStateMachineVersions',
            machineArn,
            (nextToken) => client.send(new ListStateMachineVersionsCommand({stateMachineArn: machineArn, maxResults: Math.min(1000, newestCount), nextToken})),
            (page) => ({items: page.stateMachineVersions, next: page.nextToken}),
            {enough: (collected) => collected.length >= newestCount, gone},
          )
        : [],
      reader.pages(
        'states:ListStateMachineAliases',
        machineArn,
        (nextToken) => client.send(new ListStateMachineAliasesCommand({stateMachineArn: machineArn, maxResults: 100, nextToken})),
        (page) => ({items: page.stateMachineAliases, next: page.nextToken}),
        {gone},
      ),
    ])
    const uses = new Map<string, Array<{resource: string; field: string}>>([[machineArn, [{resource: machineArn, field: 'definition'}]]])
    const use = (arn: string, resource: string, field: string): void => {
      uses.set(arn, [...(uses.get(arn) ?? []), {resource, field}])
    }
    // ListStateMachineVersions lists the newest first.
    for (const version of versions.slice(0, newestCount)) use(version.stateMachineVersionArn!, version.stateMachineVersionArn!, 'definition')
    await reader.each(aliases, async ({stateMachineAliasArn}) => {
      const alias = await reader.call('states:DescribeStateMachineAlias', stateMachineAliasArn!, () => client.send(new DescribeStateMachineAliasCommand({stateMachineAliasArn})), gone)
      for (const route of alias?.routingConfiguration ?? []) {
        const target = route.stateMachineVersionArn!
        use(target, stateMachineAliasArn!, `routingConfiguration(${versionOf(target)}).definition`)
      }
    })
    await reader.each([...uses.entries()], ([arn, users]) => readDefinition(arn, users))
  }

  await reader.each(
    machines.map((machine) => machine.stateMachineArn!),
    scanMachine,
  )
  return found.sorted()
}
