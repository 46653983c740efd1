/**
 * Lambda in-use scanner. For every function: `$LATEST`, every version an alias routes to (its
 * version and its weighted additional versions), and the newest N published versions. An image
 * function's `Code.ImageUri` and `Code.ResolvedImageUri` (the digest Lambda runs) are exact
 * references; every environment variable value is free text, because code often passes image URIs
 * on (the seed's Lambda starts SageMaker jobs with them).
 */
import {
  GetFunctionCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  type AliasConfiguration,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda'
import {DEFAULT_NEWEST_REVISIONS, type CandidateString} from '../../model/in-use.js'
import {createServiceClient, type ServiceConnectionOptions} from './clients.js'
import {incompleteReadError} from './errors.js'
import {CandidateList, SourceReader, errorNamed} from './reading.js'

export const DEFAULT_LAMBDA_VERSIONS = DEFAULT_NEWEST_REVISIONS

export interface LambdaScanOptions {
  concurrency?: number
  /** Newest published versions read per function (besides $LATEST and alias targets); default 5. */
  versions?: number
}

export function createLambdaClient(options: ServiceConnectionOptions = {}): LambdaClient {
  return createServiceClient('lambda', LambdaClient, options)
}

const LATEST = '$LATEST'
/** A function deleted since ListFunctions listed it is not in use. */
const gone = errorNamed('ResourceNotFoundException')

/** Why a version is read, and the evidence it gets: its own ARN, or the alias that routes to it. */
interface Use {
  resource: string
  /** Field prefix naming the version when the resource is an alias. */
  prefix: string
}

export async function scanLambda(client: LambdaClient, options: LambdaScanOptions = {}): Promise<CandidateString[]> {
  const reader = new SourceReader('lambda', options.concurrency)
  const newestCount = options.versions ?? DEFAULT_LAMBDA_VERSIONS
  const found = new CandidateList('lambda')

  const functions = await reader.pages(
    'lambda:ListFunctions',
    'all functions',
    (Marker) => client.send(new ListFunctionsCommand({MaxItems: 50, Marker})),
    (page) => ({items: page.Functions, next: page.NextMarker}),
  )

  const scanFunction = async (fn: FunctionConfiguration): Promise<void> => {
    const name = fn.FunctionName!
    const [aliases, versions] = await Promise.all([
      reader.pages(
        'lambda:ListAliases',
        fn.FunctionArn ?? name,
        (Marker) => client.send(new ListAliasesCommand({FunctionName: name, MaxItems: 50, Marker})),
        (page) => ({items: page.Aliases, next: page.NextMarker}),
        {gone},
      ),
      reader.pages(
        'lambda:ListVersionsByFunction',
        fn.FunctionArn ?? name,
        (Marker) => client.send(new ListVersionsByFunctionCommand({FunctionName: name, MaxItems: 50, Marker})),
        (page) => ({items: page.Versions, next: page.NextMarker}),
        {gone},
      ),
    ])

    const byVersion = new Map(versions.map((config) => [config.Version ?? '', config]))
    const uses = new Map<string, Use[]>()
    const use = (version: string, how: Use): void => {
      uses.set(version, [...(uses.get(version) ?? []), how])
    }
    const latest = byVersion.get(LATEST)
    if (!latest) return // deleted while being read (ListVersionsByFunction always lists $LATEST)
    use(LATEST, {resource: latest.FunctionArn ?? name, prefix: ''})
    const published = versions.filter((config) => /^\d+$/.test(config.Version ?? '')).sort((a, b) => Number(b.Version) - Number(a.Version))
    for (const config of published.slice(0, Math.max(0, newestCount))) use(config.Version!, {resource: config.FunctionArn!, prefix: ''})
    for (const alias of aliases) {
      for (const [version, field] of aliasTargets(alias)) use(version, {resource: alias.AliasArn ?? `${name}:${alias.Name}`, prefix: `${field}(${version}).`})
    }

    await reader.each([...uses.keys()], async (version) => {
      const config = byVersion.get(version)
      if (!config) {
        throw incompleteReadError('lambda', `${fn.FunctionArn ?? name}:${version}`, `an alias routes to version ${version}, which ListVersionsByFunction did not list`, 'Retry; the function may have changed during the scan.')
      }
      const error = config.Environment?.Error
      if (error) {
        throw incompleteReadError(
          'lambda',
          config.FunctionArn ?? name,
          `its environment variables cannot be read (${error.ErrorCode ?? 'error'}: ${error.Message ?? ''})`,
          "Grant kms:Decrypt on the function's KMS key to the identity ecrctl runs as.",
        )
      }
      let code: {ImageUri?: string; ResolvedImageUri?: string} | undefined
      if (config.PackageType === 'Image') {
        const resource = config.FunctionArn ?? name
        const answer = await reader.call('lambda:GetFunction', resource, () => client.send(new GetFunctionCommand({FunctionName: name, Qualifier: version})), gone)
        if (!answer) return
        code = answer.Code
        if (!code?.ImageUri && !code?.ResolvedImageUri) {
          throw incompleteReadError('lambda', resource, 'GetFunction returned no Code.ImageUri for an image function', 'Retry; if it persists, check the function in the Lambda console.')
        }
      }
      for (const {resource, prefix} of uses.get(version)!) {
        found.exact(code?.ImageUri, resource, `${prefix}Code.ImageUri`)
        found.exact(code?.ResolvedImageUri, resource, `${prefix}Code.ResolvedImageUri`)
        found.textMap(config.Environment?.Variables, resource, `${prefix}Environment.Variables`)
      }
    })
  }

  await reader.each(functions, scanFunction)
  return found.sorted()
}

/** The versions an alias routes traffic to, with the field that names each. */
function aliasTargets(alias: AliasConfiguration): Array<[version: string, field: string]> {
  const targets: Array<[string, string]> = []
  if (alias.FunctionVersion) targets.push([alias.FunctionVersion, 'FunctionVersion'])
  for (const version of Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) targets.push([version, 'RoutingConfig.AdditionalVersionWeights'])
  return targets
}
