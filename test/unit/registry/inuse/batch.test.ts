/**
 * The Batch job definition walker (pure). The emulator serves container, multi-node and EKS job
 * definitions (see test/integration/inuse/batch.test.ts); moto 5.2.1 refuses ecsProperties job
 * definitions, so that shape is tested here on a job definition as the Batch API documents it.
 */
import type {JobDefinition} from '@aws-sdk/client-batch'
import {describe, expect, it} from 'vitest'
import {imageStrings, newestRevisions} from '../../../../src/registry/inuse/batch.js'

describe('imageStrings', () => {
  it('finds images and environment values in ecsProperties, and in node ranges of any shape', () => {
    const definition: JobDefinition = {
      jobDefinitionName: 'ecs-style',
      jobDefinitionArn: 'arn:aws:batch:us-east-1:1:job-definition/ecs-style:1',
      revision: 1,
      type: 'container',
      ecsProperties: {
        taskProperties: [
          {
            containers: [
              {name: 'main', image: 'app:v1', environment: [{name: 'NEXT', value: 'worker:v2'}]},
              {name: 'sidecar', image: 'sidecar@sha256:' + 'a'.repeat(64)},
            ],
          },
        ],
      },
      nodeProperties: {
        numNodes: 2,
        mainNode: 0,
        nodeRangeProperties: [{targetNodes: '0:', eksProperties: {podProperties: {containers: [{image: 'eks-node:v3'}]}}}],
      },
      parameters: {image: 'not-a-run-property'},
      tags: {image: 'tag-value'},
    }
    expect(imageStrings(definition)).toEqual([
      {path: 'nodeProperties.nodeRangeProperties[0].eksProperties.podProperties.containers[0].image', value: 'eks-node:v3', exact: true},
      {path: 'ecsProperties.taskProperties[0].containers[0].image', value: 'app:v1', exact: true},
      {path: 'ecsProperties.taskProperties[0].containers[0].environment.NEXT', value: 'worker:v2', exact: false},
      {path: 'ecsProperties.taskProperties[0].containers[1].image', value: 'sidecar@sha256:' + 'a'.repeat(64), exact: true},
    ])
  })
})

describe('newestRevisions', () => {
  it('keeps the newest N ACTIVE revisions of each name, whatever order they were listed in', () => {
    const revision = (name: string, number: number, status = 'ACTIVE'): JobDefinition => ({jobDefinitionName: name, jobDefinitionArn: `arn:${name}:${number}`, revision: number, status, type: 'container'})
    const listed = [revision('a', 1), revision('b', 2), revision('a', 3), revision('a', 4, 'INACTIVE'), revision('a', 2), revision('b', 1)]
    expect(newestRevisions(listed, 2).map((d) => `${d.jobDefinitionName}:${d.revision}`)).toEqual(['a:3', 'a:2', 'b:2', 'b:1'])
    expect(newestRevisions(listed, 0)).toEqual([])
  })
})
