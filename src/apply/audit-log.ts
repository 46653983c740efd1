/**
 * The audit record of an apply: JSON lines, one per call outcome, appended (never rewritten) and
 * written synchronously, so a killed apply leaves every outcome up to the kill and a re-run adds
 * its own after them. A team can prove from it what was deleted, when, and by which plan.
 */
import {closeSync, openSync, writeSync} from 'node:fs'
import type {ApplyEvent} from './events.js'

/** `plan.json` → `plan.apply-log.jsonl` in the same directory. */
export function defaultAuditLogPath(planPath: string): string {
  return planPath.replace(/(\.json)?$/i, '.apply-log.jsonl')
}

export interface AuditLog {
  readonly path: string
  write(record: Record<string, unknown>): void
  recordEvent(event: ApplyEvent): void
  close(): void
}

export function openAuditLog(path: string, now: () => Date = () => new Date()): AuditLog {
  const fd = openSync(path, 'a')
  let open = true
  const write = (record: Record<string, unknown>): void => {
    if (!open) return
    writeSync(fd, `${JSON.stringify({time: now().toISOString(), ...record})}\n`)
  }
  return {
    path,
    write,
    recordEvent(event) {
      if (event.type === 'image') {
        write({
          event: 'image',
          repository: event.repository,
          imageDigest: event.imageDigest,
          imageTags: event.imageTags,
          call: event.call,
          result: event.outcome,
          ...(event.code ? {failureCode: event.code} : {}),
          ...(event.message ? {message: event.message} : {}),
        })
      } else if (event.type === 'policy') {
        write({
          event: 'lifecyclePolicy',
          repository: event.repository,
          action: event.action,
          call: event.call,
          result: event.outcome,
          ...(event.code ? {failureCode: event.code} : {}),
          ...(event.message ? {message: event.message} : {}),
        })
      }
    },
    close() {
      if (!open) return
      open = false
      closeSync(fd)
    },
  }
}
