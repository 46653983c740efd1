/**
 * Every file ecrctl writes is written without following a symbolic link (issue 9, item 8): a link
 * planted at the output path, or at a temporary path next to it, must never redirect the write to
 * the file it points to.
 */
import {existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {openAuditLog} from '../../../src/apply/audit-log.js'
import {EcrctlError} from '../../../src/errors.js'
import type {LiveSnapshot} from '../../../src/model/snapshot.js'
import {sealPlan, serializePlan} from '../../../src/planfile/seal.js'
import {writePlanFile, writeSealedPlanFile} from '../../../src/planfile/write.js'
import {writeSnapshotFile} from '../../../src/registry/snapshot-file.js'
import {buildPlan, deleteImage} from '../planfile/plan-builders.js'

const VICTIM_TEXT = 'precious: do not overwrite\n'

/** A directory with `victim.txt` (what an attacker wants overwritten) and a link to it. */
function plantedLink(linkName: string): {dir: string; victim: string; link: string} {
  const dir = mkdtempSync(join(tmpdir(), 'ecrctl-nofollow-'))
  const victim = join(dir, 'victim.txt')
  writeFileSync(victim, VICTIM_TEXT)
  const link = join(dir, linkName)
  symlinkSync(victim, link)
  return {dir, victim, link}
}

const plan = () => sealPlan(buildPlan({actions: [deleteImage({repository: 'app', tags: ['old']})]}))
const snapshot = (): LiveSnapshot => ({
  kind: 'ecrctl-live-snapshot',
  formatVersion: 1,
  takenAt: '2025-01-31T12:00:00.000Z',
  registry: {accountId: '123456789012', region: 'us-east-1'},
  repositories: [{name: 'app', lifecyclePolicy: null, imagesRead: false, images: []}],
})

async function refusal(write: Promise<unknown>): Promise<EcrctlError> {
  try {
    await write
  } catch (error) {
    expect(error).toBeInstanceOf(EcrctlError)
    return error as EcrctlError
  }
  throw new Error('the write was not refused')
}

describe('writing a plan or snapshot to a path that is a symbolic link', () => {
  it.each([
    ['plan --out', (path: string) => writePlanFile(path, plan())],
    ['plan --out (sealed while written)', (path: string) => writeSealedPlanFile(path, buildPlan({}))],
    ['snapshot --out', (path: string) => writeSnapshotFile(path, snapshot())],
  ])('%s: refuses, and neither the link nor the file it points to changes', async (_name, write) => {
    const {dir, victim, link} = plantedLink('out.json')
    const error = await refusal(write(link))
    expect(error.format()).toContain('symbolic link')
    expect(error.format()).toContain(link)
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['out.json', 'victim.txt']) // no temporary file left behind
  })
})

describe('the temporary file next to the output', () => {
  it('is never a planted link: a link at the old predictable name <out>.<pid>.tmp is not followed', async () => {
    const {dir, victim} = plantedLink(`plan.json.${process.pid}.tmp`)
    const out = join(dir, 'plan.json')
    await writePlanFile(out, plan())
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(lstatSync(out).isFile()).toBe(true)
    expect(readFileSync(out, 'utf8')).toBe(serializePlan(plan()))
  })

  it('leaves only the output behind, and replaces an existing regular file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecrctl-nofollow-'))
    const out = join(dir, 'live.json')
    writeFileSync(out, 'old')
    await writeSnapshotFile(out, snapshot())
    await writeSnapshotFile(out, snapshot())
    expect(readdirSync(dir)).toEqual(['live.json'])
    expect(JSON.parse(readFileSync(out, 'utf8')).kind).toBe('ecrctl-live-snapshot')
  })

  it('says the directory does not exist when it does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecrctl-nofollow-'))
    const error = await refusal(writePlanFile(join(dir, 'missing', 'plan.json'), plan()))
    expect(error.format()).toMatch(/directory .*missing does not exist/)
  })
})

describe('the audit log (appended, never rewritten)', () => {
  it('refuses a symbolic link at the log path with a clear error, leaving its target alone', () => {
    const {victim, link} = plantedLink('plan.apply-log.jsonl')
    let error: unknown
    try {
      openAuditLog(link).close()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(EcrctlError)
    expect((error as EcrctlError).format()).toContain('symbolic link')
    expect((error as EcrctlError).format()).toContain(link)
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
  })

  it('creates a new log, and appends to an existing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecrctl-nofollow-'))
    const path = join(dir, 'plan.apply-log.jsonl')
    const first = openAuditLog(path)
    first.write({event: 'applyRefused', reason: 'notConfirmed'})
    first.close()
    const second = openAuditLog(path)
    second.write({event: 'applyRefused', reason: 'cancelled'})
    second.close()
    expect(existsSync(path)).toBe(true)
    expect(readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line).reason)).toEqual(['notConfirmed', 'cancelled'])
  })
})
