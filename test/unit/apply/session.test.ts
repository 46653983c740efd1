/**
 * The apply use case end to end (identity → read → check → confirm → execute → verify → report)
 * against the in-memory registry of builders.ts, with a recording confirm port, progress sink and
 * audit log in place of the terminal and the file.
 */
import {describe, expect, it} from 'vitest'
import type {AuditRecord, AuditSink} from '../../../src/apply/audit-log.js'
import {runApplySession, type ApplyPorts, type ApplySessionInput} from '../../../src/apply/session.js'
import {totalsOf} from '../../../src/apply/totals.js'
import {parseDesiredState} from '../../../src/desired/load.js'
import {isEcrctlError} from '../../../src/errors.js'
import type {ApplyEvent} from '../../../src/model/apply-events.js'
import type {LiveRepositoryState} from '../../../src/model/registry.js'
import type {PlanAction} from '../../../src/model/plan.js'
import {del, digest, MemoryRegistry, planOf, put} from './builders.js'

const POLICY_A = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}'
const POLICY_B = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":9},"action":{"type":"expire"}}]}'

/** Every port recorded: what was asked, shown and audited, in order. */
function harness(registry: MemoryRegistry, options: {interactive?: boolean; answer?: boolean} = {}) {
  const steps: string[] = []
  const audit: AuditRecord[] = []
  const shown: ApplyEvent[] = []
  let auditClosed = false
  const asked: Array<{expectedAnswer: string; rows: unknown[]}> = []
  const warnings: string[] = []
  const ports: ApplyPorts = {
    registry,
    warn: (message) => void warnings.push(message),
    confirm: {
      interactive: options.interactive ?? false,
      async ask(_registry, rows, expectedAnswer) {
        steps.push('ask')
        asked.push({expectedAnswer, rows})
        return options.answer ?? false
      },
    },
    async startProgress() {
      steps.push('progress')
      return {onEvent: (event) => shown.push(event), finish: async () => void steps.push('progress finished')}
    },
    openAuditLog(): AuditSink {
      steps.push('audit opened')
      return {path: 'memory.apply-log.jsonl', write: (record) => void audit.push(record), close: () => void (auditClosed = true)}
    },
  }
  return {ports, steps, audit, shown, asked, warnings, auditClosed: () => auditClosed}
}

function input(actions: PlanAction[], extra: Partial<ApplySessionInput> = {}): ApplySessionInput {
  return {plan: planOf(actions), planPath: 'plan.json', autoApprove: true, skipStale: false, concurrency: 2, ecrctlVersion: '0.1.0', pid: 42, ...extra}
}

async function refusal(promise: Promise<unknown>): Promise<{message: string; kind: string}> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!isEcrctlError(error)) throw new Error(`expected a refusal, got ${String(error)}`)
  return {message: error.message, kind: error.kind}
}

describe('runApplySession', () => {
  it('applies a plan: deletes, changes the policy, checks pullability, audits each step, reports totals folded from the events', async () => {
    const registry = MemoryRegistry.of({
      app: {images: [[digest(1), []], [digest(2), []], [digest(9), ['v1'], [digest(1), digest(2)]], [digest(5), ['latest']]], policy: POLICY_A},
    })
    const h = harness(registry)
    const report = await runApplySession(
      input([del('app', digest(1)), del('app', digest(2)), del('app', digest(9), ['v1']), put('app', POLICY_A, POLICY_B)]),
      h.ports,
    )

    expect([...registry.repos.get('app')!.images.keys()]).toEqual([digest(5)])
    expect(registry.repos.get('app')!.policy).toBe(POLICY_B)
    expect(report).toMatchObject({kind: 'ecrctl-apply-result', plan: 'plan.json', exitCode: 0, auditLog: 'memory.apply-log.jsonl'})
    expect(report.totals).toEqual({...totalsOf([]), imagesDeleted: 3, imageSizeBytesDeleted: 3000, policiesApplied: 1})
    expect(report.totals).toEqual(totalsOf(h.shown))
    expect(report.pullability).toEqual({repositories: 1, indexesChecked: 0, broken: []})
    expect(h.audit.map((record) => record.event)).toEqual(['applyStarted', 'image', 'image', 'image', 'lifecyclePolicy', 'pullabilityCheck', 'applyFinished'])
    expect(h.audit[0]).toEqual({event: 'applyStarted', plan: 'plan.json', planChecksum: 'x', registry: registry.identity, checks: 'registryOnly', ecrctlVersion: '0.1.0', pid: 42})
    expect(h.audit.at(-1)).toEqual({event: 'applyFinished', exitCode: 0, totals: report.totals})
    expect(h.steps).toEqual(['audit opened', 'progress', 'progress finished'])
    expect(h.auditClosed()).toBe(true)
  })

  it('refuses a plan made for another registry before opening the audit log or reading a repository', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []]]}})
    registry.identity = {accountId: '111122223333', region: 'us-east-1'}
    const h = harness(registry)
    expect(await refusal(runApplySession(input([del('app', digest(1))]), h.ports))).toMatchObject({kind: 'refused', message: expect.stringMatching(/another registry/)})
    expect(h.steps).toEqual([])
    expect(registry.repos.get('app')!.images.size).toBe(1)
  })

  it('refuses a plan over --max-deletions before asking the registry anything', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []], [digest(2), []]]}})
    let identityRead = false
    registry.readIdentity = async () => {
      identityRead = true
      return registry.identity
    }
    const h = harness(registry)
    expect(await refusal(runApplySession(input([del('app', digest(1)), del('app', digest(2))], {maxDeletions: 1}), h.ports))).toMatchObject({
      message: expect.stringMatching(/more than the limit of 1/),
    })
    expect(identityRead).toBe(false)
  })

  it('refuses a stale plan as a whole, auditing why, unless --skip-stale applies the rest', async () => {
    const stalePlan = [del('app', digest(1), ['v1']), del('app', digest(2))]
    const registry = MemoryRegistry.of({app: {images: [[digest(1), ['v1', 'hotfix']], [digest(2), []]]}})
    const refused = harness(registry)
    expect(await refusal(runApplySession(input(stalePlan), refused.ports))).toMatchObject({kind: 'refused'})
    expect(registry.repos.get('app')!.images.size).toBe(2)
    expect(refused.audit.at(-1)).toMatchObject({event: 'applyRefused', reason: 'stale', stale: [{action: expect.stringContaining(digest(1))}]})
    expect(refused.steps).toEqual(['audit opened'])
    expect(refused.auditClosed()).toBe(true)

    const skipping = harness(registry)
    const report = await runApplySession(input(stalePlan, {skipStale: true}), skipping.ports)
    expect(report.exitCode).toBe(0)
    expect(report.totals).toMatchObject({imagesDeleted: 1, imagesSkippedStale: 1})
    expect([...registry.repos.get('app')!.images.keys()]).toEqual([digest(1)])
  })

  it('without --auto-approve and without a terminal, refuses and changes nothing', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []]]}})
    const h = harness(registry, {interactive: false})
    expect(await refusal(runApplySession(input([del('app', digest(1))], {autoApprove: false}), h.ports))).toMatchObject({
      message: expect.stringMatching(/no terminal to ask in/),
    })
    expect(h.audit.at(-1)).toEqual({event: 'applyRefused', reason: 'notConfirmed'})
    expect(registry.repos.get('app')!.images.size).toBe(1)
  })

  it('asks for the account id in a terminal before any progress starts; a wrong answer cancels', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []], [digest(2), []]]}})
    const cancelled = harness(registry, {interactive: true, answer: false})
    expect(await refusal(runApplySession(input([del('app', digest(1))], {autoApprove: false}), cancelled.ports))).toMatchObject({
      message: 'Apply cancelled; nothing was changed.',
    })
    expect(cancelled.asked).toEqual([{expectedAnswer: '123456789012', rows: [expect.objectContaining({repository: 'app', imagesToDelete: 1, imageSizeBytesToDelete: 1000})]}])
    expect(cancelled.audit.at(-1)).toEqual({event: 'applyRefused', reason: 'cancelled'})
    expect(registry.repos.get('app')!.images.size).toBe(2)

    const confirmed = harness(registry, {interactive: true, answer: true})
    await runApplySession(input([del('app', digest(1))], {autoApprove: false}), confirmed.ports)
    expect(confirmed.steps).toEqual(['audit opened', 'ask', 'progress', 'progress finished'])
    expect([...registry.repos.get('app')!.images.keys()]).toEqual([digest(2)])
  })

  it('does not ask when everything is already done, and reports it as done', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(2), []]]}})
    const h = harness(registry, {interactive: true, answer: false})
    const report = await runApplySession(input([del('app', digest(1))], {autoApprove: false}), h.ports)
    expect(h.asked).toEqual([])
    expect(report).toMatchObject({exitCode: 0, totals: {imagesAlreadyGone: 1, imagesDeleted: 0}})
    expect(report.pullability).toBeUndefined()
  })

  it('fails the apply (exit 1) when an index left standing lists a child this apply deleted', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []], [digest(5), ['keep']]]}})
    const reads: LiveRepositoryState[] = []
    const read = registry.readTouchedRepository.bind(registry)
    registry.readTouchedRepository = async (name) => {
      // The re-read after the apply sees an index (pushed meanwhile) that lists the deleted child.
      if (reads.length === 1) registry.repos.get(name)!.images.set(digest(7), {tags: ['multi'], children: [digest(1)]})
      const state = await read(name)
      reads.push(state)
      return state
    }
    const h = harness(registry)
    const report = await runApplySession(input([del('app', digest(1))]), h.ports)
    expect(report.totals.imagesDeleted).toBe(1)
    expect(report.pullability?.broken).toEqual([
      {repository: 'app', indexDigest: digest(7), indexTags: ['multi'], missingChildren: [digest(1)], causedByApply: true},
    ])
    expect(report.exitCode).toBe(1)
    expect(h.audit.at(-1)).toMatchObject({event: 'applyFinished', exitCode: 1})
  })
})

describe('runApplySession: the evaluation time', () => {
  it('refuses a plan evaluated in the future (beyond the clock skew) before asking the registry anything', async () => {
    const registry = MemoryRegistry.of({app: {images: [[digest(1), []]]}})
    let identityRead = false
    registry.readIdentity = async () => {
      identityRead = true
      return registry.identity
    }
    const h = harness(registry)
    h.ports.clock = () => new Date('2026-12-01T00:00:00.000Z')
    const future = input([del('app', digest(1))], {plan: planOf([del('app', digest(1))], {evaluatedAt: '2026-12-05T00:00:00.000Z'})})
    expect(await refusal(runApplySession(future, h.ports))).toMatchObject({kind: 'refused', message: expect.stringMatching(/^This plan was evaluated at 2026-12-05T00:00:00.000Z, later than the current time/)})
    expect(identityRead).toBe(false)
    expect(h.steps).toEqual([])
    expect(registry.repos.get('app')!.images.size).toBe(1)
  })
})

describe('runApplySession: re-deriving every action from the desired state at hand', () => {
  const DESIRED_TEXT = 'version: 1\nrepositories:\n  app:\n    keep:\n      - tag: prod\n'
  const desired = parseDesiredState(DESIRED_TEXT, 'desired.yaml')
  const atHand = (actions: PlanAction[], extra: Partial<ApplySessionInput> = {}) =>
    input(actions, {plan: planOf(actions, {desiredStateSha256: desired.sha256, desiredStateFiles: ['desired.yaml']}), desiredState: desired, ...extra})
  const registry = () => MemoryRegistry.of({app: {images: [[digest(1), ['prod']], [digest(2), ['old-1']], [digest(3), []]]}})

  it('applies a plan the fresh evaluation agrees with, and says the actions were re-derived', async () => {
    const memory = registry()
    const h = harness(memory)
    const report = await runApplySession(atHand([del('app', digest(2), ['old-1']), del('app', digest(3))]), h.ports)
    expect(report).toMatchObject({exitCode: 0, checks: 'registryAndDesiredState', totals: {imagesDeleted: 2}})
    expect([...memory.repos.get('app')!.images.keys()]).toEqual([digest(1)])
    expect(h.warnings).toEqual([])
  })

  it('refuses a desired state other than the plan’s before asking the registry anything', async () => {
    const memory = registry()
    let identityRead = false
    memory.readIdentity = async () => {
      identityRead = true
      return memory.identity
    }
    const h = harness(memory)
    const changed = parseDesiredState(DESIRED_TEXT.replace('prod', 'old-1'), 'desired.yaml')
    expect(await refusal(runApplySession(atHand([del('app', digest(2), ['old-1'])], {desiredState: changed}), h.ports))).toEqual({
      kind: 'refused',
      message: 'The desired state changed since this plan was made; re-plan. Nothing was changed.',
    })
    expect(identityRead).toBe(false)
    expect(memory.repos.get('app')!.images.size).toBe(3)
  })

  it('a forged plan (checksum and desired-state hash right) deleting the kept production image is stale: refused, audited; --skip-stale applies the rest', async () => {
    const forged = [del('app', digest(1), ['prod']), del('app', digest(2), ['old-1'])]
    const memory = registry()
    const refused = harness(memory)
    expect(await refusal(runApplySession(atHand(forged), refused.ports))).toMatchObject({kind: 'refused', message: expect.stringMatching(/^The plan is stale: 1 of its 2 actions/)})
    expect(memory.repos.get('app')!.images.size).toBe(3)
    expect(refused.audit.at(-1)).toMatchObject({event: 'applyRefused', reason: 'stale', stale: [{action: expect.stringContaining(digest(1)), why: expect.stringMatching(/^the desired state keeps it: keep rule app keep\[0\]/)}]})

    const skipping = harness(memory)
    const report = await runApplySession(atHand(forged, {skipStale: true}), skipping.ports)
    expect(report).toMatchObject({exitCode: 0, totals: {imagesDeleted: 1, imagesSkippedStale: 1}})
    expect([...memory.repos.get('app')!.images.keys()].sort()).toEqual([digest(1), digest(3)])
  })

  it('re-derives at the current time: an image still inside the grace period is not deleted', async () => {
    const memory = registry()
    const h = harness(memory)
    h.ports.clock = () => new Date('2026-01-01T12:00:00.000Z') // the builders push at 2026-01-01T00:00Z
    const plan = atHand([del('app', digest(3))])
    plan.plan.evaluatedAt = '2026-01-01T12:00:00.000Z'
    expect(await refusal(runApplySession(plan, h.ports))).toMatchObject({message: expect.stringMatching(/stale/)})
    expect(h.audit.at(-1)).toMatchObject({stale: [{why: expect.stringMatching(/grace period/)}]})
  })

  it('without a desired state at hand: warns that only registry checks were made, and says so in the report', async () => {
    const memory = registry()
    const h = harness(memory)
    const report = await runApplySession(input([del('app', digest(1), ['prod'])]), h.ports)
    expect(h.warnings).toEqual([expect.stringMatching(/^No desired state at hand: only registry checks were made\./)])
    expect(report).toMatchObject({exitCode: 0, checks: 'registryOnly'})
    expect(h.audit[0]).toMatchObject({event: 'applyStarted', checks: 'registryOnly'})
  })

  it('--require-desired-state without one refuses before asking the registry anything', async () => {
    const memory = registry()
    const h = harness(memory)
    expect(await refusal(runApplySession(input([del('app', digest(2), ['old-1'])], {requireDesiredState: true}), h.ports))).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/^No desired state at hand, and --require-desired-state/),
    })
    expect(h.steps).toEqual([])
    expect(memory.repos.get('app')!.images.size).toBe(3)
  })
})
