// In-use scan cost: API calls and wall time of the AWS scanners against the emulator for
// 1,000 ECS task definition revisions (100 families x 10, the newest 5 read), 500 Lambda image
// functions, and 200 SageMaker models; each source alone, then all three at once.
// Imports the built code from dist/ (`npm run bench` builds first).
import {startEmulator} from './lib/emulator.mjs'

const FAMILIES = 100
const REVISIONS = 10
const FUNCTIONS = 500
const MODELS = 200
const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`
const ROLE = `arn:aws:iam::${ACCOUNT}:role/bench`

export default async function bench() {
  Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'})
  const {scanAws} = await import('../../dist/registry/inuse/index.js')
  const {createEcsClient} = await import('../../dist/registry/inuse/ecs.js')
  const {createLambdaClient} = await import('../../dist/registry/inuse/lambda.js')
  const {createSageMakerClient} = await import('../../dist/registry/inuse/sagemaker.js')
  const {createEcrClient} = await import('../../dist/registry/client.js')
  const {countApiCalls, mapWithConcurrency} = await import('../../dist/registry/read.js')
  const {CreateRepositoryCommand, PutImageCommand} = await import('@aws-sdk/client-ecr')
  const {CreateClusterCommand, RegisterTaskDefinitionCommand} = await import('@aws-sdk/client-ecs')
  const {CreateFunctionCommand} = await import('@aws-sdk/client-lambda')
  const {CreateModelCommand} = await import('@aws-sdk/client-sagemaker')

  const emulator = await startEmulator()
  try {
    const connection = {endpointUrl: emulator.endpoint, region: REGION}
    const setupStart = performance.now()
    await createRole(emulator.endpoint)
    const ecr = createEcrClient(connection)
    await ecr.send(new CreateRepositoryCommand({repositoryName: 'bench/fn'}))
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {mediaType: 'application/vnd.docker.container.image.v1+json', size: 1000, digest: `sha256:${'1'.repeat(64)}`},
      layers: [{mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1000, digest: `sha256:${'2'.repeat(64)}`}],
    })
    await ecr.send(new PutImageCommand({repositoryName: 'bench/fn', imageManifest: manifest, imageTag: 'v1'}))
    ecr.destroy()

    const ecs = createEcsClient(connection)
    await ecs.send(new CreateClusterCommand({clusterName: 'bench'}))
    const revisions = Array.from({length: FAMILIES * REVISIONS}, (_, i) => ({family: `family-${String(i % FAMILIES).padStart(3, '0')}`, i}))
    // One family's revisions in order (revision numbers follow registration order).
    await mapWithConcurrency(
      Array.from({length: FAMILIES}, (_, f) => revisions.filter((r) => r.i % FAMILIES === f)),
      8,
      async (family) => {
        for (const {family: name, i} of family) {
          await ecs.send(new RegisterTaskDefinitionCommand({family: name, containerDefinitions: [{name: 'app', image: `${REGISTRY}/bench/${name}:r${i}`, memory: 128}]}))
        }
      },
    )
    ecs.destroy()

    const lambda = createLambdaClient(connection)
    await mapWithConcurrency(Array.from({length: FUNCTIONS}, (_, i) => i), 8, (i) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: `fn-${String(i).padStart(3, '0')}`,
          Role: ROLE,
          PackageType: 'Image',
          Code: {ImageUri: `${REGISTRY}/bench/fn:v1`},
          Environment: {Variables: {NEXT_IMAGE: `${REGISTRY}/bench/next:${i}`}},
        }),
      ),
    )
    lambda.destroy()

    const sagemaker = createSageMakerClient(connection)
    await mapWithConcurrency(Array.from({length: MODELS}, (_, i) => i), 8, (i) =>
      sagemaker.send(new CreateModelCommand({ModelName: `model-${String(i).padStart(3, '0')}`, ExecutionRoleArn: ROLE, PrimaryContainer: {Image: `${REGISTRY}/bench/model:${i}`}})),
    )
    sagemaker.destroy()
    console.log(
      `setup: ${FAMILIES * REVISIONS} task definition revisions (${FAMILIES} families), ${FUNCTIONS} image functions, ${MODELS} models in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
    )

    const runs = [
      ['ecs, newest 5 revisions of each family, concurrency 8', ['ecs'], 8],
      ['ecs, concurrency 1', ['ecs'], 1],
      ['lambda, concurrency 8', ['lambda'], 8],
      ['lambda, concurrency 1', ['lambda'], 1],
      ['sagemaker, concurrency 8', ['sagemaker'], 8],
      ['sagemaker, concurrency 1', ['sagemaker'], 1],
      ['ecs + lambda + sagemaker at once, concurrency 8 each', ['ecs', 'lambda', 'sagemaker'], 8],
    ]
    for (const [label, sources, concurrency] of runs) {
      const counters = []
      const start = performance.now()
      const candidates = await scanAws(sources, connection, {
        concurrency,
        ecs: {taskDefinitionRevisions: 5},
        onClient: (_source, client) => counters.push(countApiCalls(client)),
      })
      const seconds = (performance.now() - start) / 1000
      const calls = {}
      for (const counter of counters) for (const [operation, n] of Object.entries(counter.calls)) calls[operation] = (calls[operation] ?? 0) + n
      const total = Object.values(calls).reduce((a, b) => a + b, 0)
      console.log(`\n${label}: ${candidates.length} candidates, ${total} API calls in ${seconds.toFixed(2)} s (${(total / seconds).toFixed(0)} calls/s)`)
      console.log(
        `  ${Object.entries(calls)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([operation, n]) => `${operation} ${n}`)
          .join(', ')}`,
      )
    }
  } finally {
    await emulator.stop()
  }
}

/** The role functions run as (Lambda refuses one that does not exist); one unsigned IAM Query call. */
async function createRole(endpoint) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=bench/20260101/${REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({Action: 'CreateRole', Version: '2010-05-08', RoleName: 'bench', AssumeRolePolicyDocument: '{}'}),
  })
  if (!response.ok) throw new Error(`CreateRole: HTTP ${response.status} ${await response.text()}`)
}
