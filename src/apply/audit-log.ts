/**
 * The audit record of an apply: JSON lines, one per call outcome, appended (never rewritten) and
 * written synchronously, so a killed apply leaves every outcome up to the kill and a re-run adds
 * its own after them. A team can prove from it what was deleted, when, and by which plan.
 */
import {closeSync, writeSync} from 'node:fs'
import {openForAppend} from '../document/write.js'
import type {ApplyCall, ApplyEvent, ImageOutcome, PolicyOutcome} from '../model/apply-events.js'
import type {ApplyChecks, ApplyTotals, PullabilityReport} from '../model/apply-result.js'
import type {RegistryIdentity} from '../model/registry.js'
import {redactSecretsDeep} from '../util/redact.js'

/** Every kind of line the audit log holds (each written with a leading `time`). */
export type AuditRecord =
  | {event: 'applyStarted'; plan: string; planChecksum: string; registry: RegistryIdentity; checks: ApplyChecks; ecrctlVersion: string; pid: number}
  | {event: 'applyRefused'; reason: 'stale'; stale: Array<{action: string; why: string | undefined}>}
  | {event: 'applyRefused'; reason: 'notConfirmed' | 'cancelled'}
  | {
      event: 'image'
      repository: string
      imageDigest: string
      imageTags: string[]
      call: ApplyCall
      result: ImageOutcome
      /** result `deleted`: the answer to an earlier attempt was lost, and the retry found the image gone. */
      confirmedOnRetry?: true
      failureCode?: string
      message?: string
    }
  | {
      event: 'lifecyclePolicy'
      repository: string
      action: 'putLifecyclePolicy' | 'deleteLifecyclePolicy'
      call: ApplyCall
      result: PolicyOutcome
      failureCode?: string
      message?: string
    }
  | ({event: 'pullabilityCheck'} & PullabilityReport)
  | {event: 'applyFinished'; exitCode: 0 | 1; totals: ApplyTotals}

/** Where an apply session writes its audit records. */
export interface AuditSink {
  readonly path: string
  write(record: AuditRecord): void
  close(): void
}

/** `plan.json` → `plan.apply-log.jsonl` in the same directory. */
export function defaultAuditLogPath(planPath: string): string {
  return planPath.replace(/(\.json)?$/i, '.apply-log.jsonl')
}

/** The audit record of a call outcome; progress-only events (repository started/finished) have none. */
export function auditRecordOf(event: ApplyEvent): AuditRecord | undefined {
  if (event.type === 'image') {
    return {
      event: 'image',
      repository: event.repository,
      imageDigest: event.imageDigest,
      imageTags: event.imageTags,
      call: event.call,
      result: event.outcome,
      ...(event.confirmedOnRetry ? {confirmedOnRetry: true} : {}),
      ...(event.code ? {failureCode: event.code} : {}),
      ...(event.message ? {message: event.message} : {}),
    }
  }
  if (event.type === 'policy') {
    return {
      event: 'lifecyclePolicy',
      repository: event.repository,
      action: event.action,
      call: event.call,
      result: event.outcome,
      ...(event.code ? {failureCode: event.code} : {}),
      ...(event.message ? {message: event.message} : {}),
    }
  }
  return undefined
}

export function openAuditLog(path: string, now: () => Date = () => new Date()): AuditSink {
  // never through a symbolic link, and only a regular file of its own (src/document/write.ts)
  const fd = openForAppend(path, 'audit log')
  let open = true
  return {
    path,
    write(record) {
      if (!open) return
      // Every string, not just messages: a plan path or a stale reason could quote a credential too.
      writeSync(fd, `${JSON.stringify({time: now().toISOString(), ...redactSecretsDeep(record)})}\n`)
    },
    close() {
      if (!open) return
      open = false
      closeSync(fd)
    },
  }
}
