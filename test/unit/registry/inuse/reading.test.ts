/**
 * The scanners' shared reading rules, with plain async functions standing in for API calls (no
 * AWS involved): bounded calls, complete paging, failures stop new calls, deterministic order.
 */
import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../../src/errors.js'
import type {CandidateString} from '../../../../src/model/in-use.js'
import {CandidateList, SourceReader, pinnedToDigest, sortCandidates} from '../../../../src/registry/inuse/reading.js'

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('SourceReader', () => {
  it('never has more than `concurrency` calls in flight, however the loops nest', async () => {
    const reader = new SourceReader('ecs', 3)
    let inFlight = 0
    let peak = 0
    const call = () =>
      reader.call('ecs:DescribeTasks', 'x', async () => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await tick()
        inFlight--
      })
    await reader.each([1, 2, 3, 4], async () => {
      await reader.each([1, 2, 3, 4, 5], call)
    })
    expect(peak).toBe(3)
  })

  it('reads every page, and refuses a page token it has seen before', async () => {
    const reader = new SourceReader('lambda')
    const pages: Record<string, {items: number[]; next?: string}> = {start: {items: [1, 2], next: 'b'}, b: {items: [3], next: 'c'}, c: {items: [4]}}
    await expect(reader.pages('lambda:ListFunctions', 'all functions', async (token) => pages[token ?? 'start']!, (page) => ({items: page.items, next: page.next}))).resolves.toEqual([1, 2, 3, 4])

    const looping: Record<string, {items: number[]; next: string}> = {start: {items: [1], next: 'a'}, a: {items: [2], next: 'b'}, b: {items: [3], next: 'a'}}
    const error = await reader.pages('lambda:ListFunctions', 'all functions', async (token) => looping[token ?? 'start']!, (page) => ({items: page.items, next: page.next})).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EcrctlError)
    expect((error as Error).message).toBe('Cannot scan Lambda for images in use: lambda:ListFunctions returned the same page token twice (all functions).')
  })

  it('stops early only when `enough` says so', async () => {
    const reader = new SourceReader('ecs')
    let requests = 0
    const items = await reader.pages(
      'ecs:ListTaskDefinitions',
      'family web',
      async (token) => {
        requests++
        return {items: [Number(token ?? 0)], next: String(Number(token ?? 0) + 1)}
      },
      (page) => ({items: page.items, next: page.next}),
      {enough: (collected) => collected.length >= 3},
    )
    expect(items).toEqual([0, 1, 2])
    expect(requests).toBe(3)
  })

  it('starts no call after the first failure, and every later call reports that first failure', async () => {
    const reader = new SourceReader('batch', 1)
    const started: number[] = []
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) =>
        reader.call('batch:DescribeJobDefinitions', `#${n}`, async () => {
          started.push(n)
          if (n === 1) throw Object.assign(new Error('denied'), {name: 'AccessDeniedException'})
        }),
      ),
    )
    expect(started).toEqual([1])
    const messages = results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'ok'))
    expect(new Set(messages)).toEqual(new Set(['Cannot scan Batch for images in use: access denied to batch:DescribeJobDefinitions on #1.']))
  })

  it('turns an error `gone` recognises into undefined (the resource was deleted, so it is not in use)', async () => {
    const reader = new SourceReader('lambda')
    const missing = async () => {
      throw Object.assign(new Error('Function not found'), {name: 'ResourceNotFoundException'})
    }
    await expect(reader.call('lambda:GetFunction', 'f', missing, (error) => (error as Error).name === 'ResourceNotFoundException')).resolves.toBeUndefined()
    await expect(reader.call('lambda:GetFunction', 'f', missing)).rejects.toThrow('Cannot scan Lambda for images in use: lambda:GetFunction on f failed.')
  })
})

describe('CandidateList and sortCandidates', () => {
  it('drops empty values and duplicates, and sorts by resource, field, value in code-unit order', () => {
    const list = new CandidateList('ecs')
    list.exact('b:1', 'arn:b', 'containers[0].image')
    list.exact('', 'arn:b', 'containers[1].image')
    list.text('  ', 'arn:b', 'env.X')
    list.exact('b:1', 'arn:b', 'containers[0].image')
    list.textMap({Z: 'z', A: 'Ä'}, 'arn:a', 'Environment.Variables')
    expect(list.sorted().map((c) => [c.evidence.resource, c.evidence.field, c.value, c.exact])).toEqual([
      ['arn:a', 'Environment.Variables.A', 'Ä', false],
      ['arn:a', 'Environment.Variables.Z', 'z', false],
      ['arn:b', 'containers[0].image', 'b:1', true],
    ])
  })

  it('gives the same order for any input order', () => {
    const make = (source: CandidateString['evidence']['source'], resource: string, field: string, value: string): CandidateString => ({value, exact: true, evidence: {source, resource, field}})
    const all = [make('lambda', 'r', 'f', 'v'), make('ecs', 'r', 'f', 'w'), make('ecs', 'r', 'f', 'v'), make('ecs', 'Q', 'f', 'v'), make('ecs', 'r', 'e', 'v')]
    const expected = sortCandidates(all)
    for (let i = 0; i < 20; i++) {
      const shuffled = [...all].sort(() => Math.random() - 0.5)
      expect(sortCandidates(shuffled)).toEqual(expected)
    }
    expect(expected.map((c) => `${c.evidence.source}|${c.evidence.resource}|${c.evidence.field}|${c.value}`)).toEqual(['ecs|Q|f|v', 'ecs|r|e|v', 'ecs|r|f|v', 'ecs|r|f|w', 'lambda|r|f|v'])
  })
})

describe('CandidateList.jsonText', () => {
  it('gives every string of a JSON document with its path, escapes undone; other text whole', () => {
    const list = new CandidateList('stepfunctions')
    list.jsonText('{"States":{"Run job":{"Parameters":{"Image":"1.dkr.ecr.us-east-1.amazonaws.com\\/app:v1","Count":2}}},"Tags":["a",""]}', 'arn:m', 'definition')
    list.jsonText('Comment: not JSON, app:v2', 'arn:n', 'definition')
    expect(list.sorted().map((c) => `${c.evidence.resource} ${c.evidence.field} = ${c.value}`)).toEqual([
      'arn:m definition.States["Run job"].Parameters.Image = 1.dkr.ecr.us-east-1.amazonaws.com/app:v1',
      'arn:m definition.Tags[0] = a',
      'arn:n definition = Comment: not JSON, app:v2',
    ])
  })
})

describe('pinnedToDigest', () => {
  const digest = 'sha256:' + 'b'.repeat(64)
  it('replaces the tag and any digest with the resolved digest, and keeps a registry port', () => {
    expect(pinnedToDigest('1.dkr.ecr.us-east-1.amazonaws.com/app/web:v1', digest)).toBe(`1.dkr.ecr.us-east-1.amazonaws.com/app/web@${digest}`)
    expect(pinnedToDigest(`web:v1@sha256:${'c'.repeat(64)}`, digest)).toBe(`web@${digest}`)
    expect(pinnedToDigest('localhost:5000/web', digest)).toBe(`localhost:5000/web@${digest}`)
  })
})
