/**
 * The fixtures in ./fixtures are hand-written, following the shape `kubectl get … -A -o json`
 * prints (kubectl 1.31 against EKS): a `List` whose items carry kind and apiVersion, dockershim's
 * `docker-pullable://` and containerd's plain imageIDs, an empty imageID while pulling.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kubernetesCandidates} from '../../../src/inuse/kubernetes-file.js'
import {extractReferences, repositoryNames} from '../../../src/inuse/references.js'
import {refusalOf} from '../../support/refusal.js'

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
const hex = (c: string) => `sha256:${c.repeat(64)}`
const row = (c: {value: string; exact: boolean; evidence: {source: string; resource: string; field: string}}) => [c.evidence.resource, c.evidence.field, c.value]

describe('kubernetesCandidates', () => {
  it('reads every container image and pulled digest of `kubectl get pods -A -o json`', () => {
    const candidates = kubernetesCandidates(fixture('kubectl-pods.json'), 'k8s/prod-pods.json')
    expect(candidates.every((c) => c.exact && c.evidence.source === 'kubernetes')).toBe(true)
    expect(candidates.map(row)).toEqual([
      ['prod/ml-api-6d8f7c9b54-x2lqp', 'spec.initContainers[0].image', 'spaceport/migrations:2025-01-27'],
      ['prod/ml-api-6d8f7c9b54-x2lqp', 'spec.containers[0].image', `${ECR}/spaceport/api:v42`],
      ['prod/ml-api-6d8f7c9b54-x2lqp', 'spec.containers[1].image', 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0'],
      ['prod/ml-api-6d8f7c9b54-x2lqp', 'spec.ephemeralContainers[0].image', `${ECR}/debug-tools:2025.01`],
      ['prod/ml-api-6d8f7c9b54-x2lqp', 'status.initContainerStatuses[0].imageID', `docker.io/spaceport/migrations@${hex('3')}`],
      ['prod/ml-api-6d8f7c9b54-x2lqp', 'status.containerStatuses[0].imageID', `${ECR}/spaceport/api@${hex('1')}`],
      ['prod/ml-api-6d8f7c9b54-x2lqp', 'status.containerStatuses[1].imageID', `public.ecr.aws/aws-observability/aws-otel-collector@${hex('2')}`],
      ['ml/sfm-worker-0', 'spec.containers[0].image', `${ECR}/spaceport/sfm:latest`],
      ['ml/sfm-worker-0', 'status.containerStatuses[0].imageID', `${ECR}/spaceport/sfm@${hex('4')}`],
      ['ml/compressor-pending', 'spec.containers[0].image', `${ECR}/spaceport/compressor:latest`],
    ])
  })

  it('reads the pod templates of workloads, and ignores kinds that run nothing', () => {
    const candidates = kubernetesCandidates(fixture('kubectl-workloads.json'), 'k8s/workloads.json')
    expect(candidates.map(row)).toEqual([
      ['Deployment/prod/ml-api', 'spec.template.spec.initContainers[0].image', 'spaceport/migrations:2025-01-27'],
      ['Deployment/prod/ml-api', 'spec.template.spec.containers[0].image', `${ECR}/spaceport/api:v43`],
      ['StatefulSet/ml/sfm-worker', 'spec.template.spec.containers[0].image', `${ECR}/spaceport/sfm:latest`],
      ['DaemonSet/kube-system/node-agent', 'spec.template.spec.containers[0].image', '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.0-eksbuild.1'],
      ['CronJob/ml/nightly-compress', 'spec.jobTemplate.spec.template.spec.containers[0].image', `${ECR}/spaceport/compressor@${hex('5')}`],
      ['Job/ml/nightly-compress-28970520', 'spec.template.spec.containers[0].image', `${ECR}/spaceport/compressor@${hex('5')}`],
    ])
  })

  it('yields references once extracted: the running digest and the tag, this registry and others', () => {
    const names = repositoryNames(['spaceport/sfm', 'spaceport/api', 'spaceport/migrations'])
    const references = kubernetesCandidates(fixture('kubectl-pods.json'), 'pods.json').flatMap((c) => extractReferences(c, names))
    expect(references.map((r) => `${r.registry?.accountId ?? '-'} ${r.repository} ${r.tag ?? ''}${r.digest ? `@${r.digest.slice(7, 11)}` : ''}`)).toEqual([
      '- spaceport/migrations 2025-01-27',
      '123456789012 spaceport/api v42',
      '123456789012 debug-tools 2025.01',
      '- spaceport/migrations @3333',
      '123456789012 spaceport/api @1111',
      '123456789012 spaceport/sfm latest',
      '123456789012 spaceport/sfm @4444',
      '123456789012 spaceport/compressor latest',
    ])
  })

  it('reads API lists whose items carry no kind, and single objects', () => {
    const pod = {metadata: {name: 'p', namespace: 'n'}, spec: {containers: [{name: 'c', image: 'spaceport/sfm:v1'}]}}
    expect(kubernetesCandidates(JSON.stringify({kind: 'PodList', apiVersion: 'v1', items: [pod]}), 'f').map(row)).toEqual([['n/p', 'spec.containers[0].image', 'spaceport/sfm:v1']])
    expect(kubernetesCandidates(JSON.stringify({kind: 'Pod', ...pod}), 'f').map(row)).toEqual([['n/p', 'spec.containers[0].image', 'spaceport/sfm:v1']])
    expect(kubernetesCandidates(JSON.stringify({kind: 'List', items: []}), 'f')).toEqual([])
  })

  const refusal = (text: string) => refusalOf(() => kubernetesCandidates(text, 'k8s/prod-pods.json'))

  it('refuses what is not kubectl JSON, or a malformed image field, naming the file and the object', () => {
    expect(refusal('apiVersion: v1\nkind: List')).toMatch(/^Cannot read k8s\/prod-pods\.json as Kubernetes objects: it is not valid JSON/)
    expect(refusal('{"items": []}')).toMatch(/no "kind"/)
    expect(refusal('{"kind": "Service"}')).toMatch(/it is a Service, which runs no containers/)
    expect(refusal('{"kind": "List", "items": {}}')).toMatch(/"items" is not an array/)
    expect(refusal('{"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p", "namespace": "n"}, "spec": {"containers": [{"name": "c"}]}}]}')).toMatch(
      /items\[0\] \(n\/p\) spec\.containers\[0\]\.image is not a string.*kubectl get pods -A -o json > k8s\/prod-pods\.json/,
    )
    expect(refusal('{"kind": "Deployment", "metadata": {"name": "d"}, "spec": {}}')).toMatch(/\(top level\) \(Deployment\/default\/d\) has no spec\.template\.spec/)
    expect(refusal('{"kind": "Pod", "spec": {"containers": {"image": "x"}}}')).toMatch(/spec\.containers is not an array/)
  })
})
