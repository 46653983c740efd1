/**
 * Small builders for hand-made plans (renderer and plan-file tests). They assemble what a planner
 * would return; the summary is derived from the actions and kept images so tests stay short.
 */
import {createHash} from 'node:crypto'
import type {
  DeleteImageAction,
  KeptImage,
  PlanAction,
  PlanWarning,
  Reason,
  RepositorySummary,
  UnsealedPlan,
} from '../../../src/model/plan.js'

export const digestOf = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`

interface ImageSpec {
  repository: string
  digest?: string
  name?: string
  tags?: string[]
  pushedAt?: string
  sizeBytes?: number
}

export function deleteImage(spec: ImageSpec & {reasons?: Reason[]; lastPulledAt?: string | null}): DeleteImageAction {
  const reasons = spec.reasons ?? [{code: 'noKeepRule'}]
  return {
    type: 'deleteImage',
    repository: spec.repository,
    imageDigest: spec.digest ?? digestOf(spec.name ?? `${spec.repository}:${(spec.tags ?? []).join(',')}`),
    imageTags: [...(spec.tags ?? [])].sort(),
    imagePushedAt: spec.pushedAt ?? '2025-01-01T12:00:00.000Z',
    sizeBytes: spec.sizeBytes ?? 500_000_000,
    lastPulledAt: spec.lastPulledAt ?? null,
    reasons,
  }
}

export function keptImage(spec: ImageSpec & {reasons?: Reason[]}): KeptImage {
  return {
    repository: spec.repository,
    imageDigest: spec.digest ?? digestOf(spec.name ?? `${spec.repository}:${(spec.tags ?? []).join(',')}`),
    imageTags: [...(spec.tags ?? [])].sort(),
    imagePushedAt: spec.pushedAt ?? '2025-02-01T08:30:00.000Z',
    sizeBytes: spec.sizeBytes ?? 400_000_000,
    reasons: spec.reasons ?? [{code: 'keepRule', entry: spec.repository, index: 0, rule: `${spec.repository} keep[0]`}],
  }
}

export function buildPlan(parts: {
  actions?: PlanAction[]
  kept?: KeptImage[]
  unmanaged?: string[]
  managed?: string[]
  warnings?: PlanWarning[]
  pricePerGbMonth?: number
  maxDeletions?: number
}): UnsealedPlan {
  const actions = parts.actions ?? []
  const kept = parts.kept ?? []
  const managed =
    parts.managed ?? [...new Set([...actions.map((a) => a.repository), ...kept.map((k) => k.repository)])].sort()
  const price = parts.pricePerGbMonth ?? 0.1
  const repositories: RepositorySummary[] = managed.map((repository) => {
    const deletes = actions.filter((a): a is DeleteImageAction => a.type === 'deleteImage' && a.repository === repository)
    const keptHere = kept.filter((k) => k.repository === repository)
    const lifecycle = actions.find((a) => a.type !== 'deleteImage' && a.repository === repository)
    const summary: RepositorySummary = {
      repository,
      imagesTotal: deletes.length + keptHere.length,
      imagesKept: keptHere.length,
      imagesDeleted: deletes.length,
      bytesDeleted: deletes.reduce((sum, a) => sum + a.sizeBytes, 0),
    }
    if (lifecycle) summary.lifecycleChange = lifecycle.type === 'putLifecyclePolicy' ? 'put' : 'delete'
    return summary
  })
  const bytesDeleted = repositories.reduce((sum, r) => sum + r.bytesDeleted, 0)
  const plan: UnsealedPlan = {
    kind: 'ecrctl-plan',
    formatVersion: 2,
    ecrctlVersion: '0.0.0-test',
    evaluatedAt: '2025-03-01T00:00:00.000Z',
    registry: {accountId: '123456789012', region: 'us-east-1'},
    desiredStateSha256: createHash('sha256').update('desired').digest('hex'),
    desiredStateFiles: ['desired-state/main.yaml'],
    managedRepositories: managed,
    unmanagedRepositories: parts.unmanaged ?? [],
    actions,
    kept,
    warnings: parts.warnings ?? [],
    summary: {
      repositories,
      imagesDeleted: repositories.reduce((sum, r) => sum + r.imagesDeleted, 0),
      imagesKept: kept.length,
      bytesDeleted,
      lifecyclePolicyChanges: actions.filter((a) => a.type !== 'deleteImage').length,
      pricePerGbMonth: price,
      estimatedMonthlySavingsUsd: Math.round((bytesDeleted / 1e9) * price * 100) / 100,
    },
  }
  if (parts.maxDeletions !== undefined) plan.maxDeletions = parts.maxDeletions
  return plan
}
