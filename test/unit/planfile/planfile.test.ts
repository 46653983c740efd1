import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import type {PlanDocument} from '../../../src/model/plan.js'
import {parsePlan, readPlanFile} from '../../../src/planfile/read.js'
import {computePlanChecksum, sealPlan, serializePlan} from '../../../src/planfile/seal.js'
import {writePlanFile} from '../../../src/planfile/write.js'
import {buildPlan, deleteImage, keptImage} from './plan-builders.js'

const samplePlan = () =>
  sealPlan(
    buildPlan({
      actions: [deleteImage({repository: 'spaceport/sfm', tags: ['20250101-1200']})],
      kept: [keptImage({repository: 'spaceport/sfm', tags: ['latest']})],
      unmanaged: ['sagemaker-unzip'],
    }),
  )

function refusal(text: string): EcrctlError {
  try {
    parsePlan(text, 'plan.json')
  } catch (error) {
    expect(error).toBeInstanceOf(EcrctlError)
    expect((error as EcrctlError).exitCode).toBe(1)
    return error as EcrctlError
  }
  throw new Error('parsePlan accepted the text')
}

/** Edit a sealed plan and re-seal it, as someone who knows the checksum algorithm would. */
function editAndReseal(edit: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(serializePlan(samplePlan())) as Record<string, any>
  edit(doc)
  doc.checksum = computePlanChecksum(doc as PlanDocument)
  return JSON.stringify(doc)
}

describe('sealPlan / serializePlan', () => {
  it('checksums the content without the checksum field, as sha256 hex', () => {
    const doc = samplePlan()
    expect(doc.checksum).toMatch(/^[0-9a-f]{64}$/)
    expect(computePlanChecksum(doc)).toBe(doc.checksum)
    expect(sealPlan(doc).checksum).toBe(doc.checksum) // re-sealing a sealed plan is stable
  })

  it('gives a different checksum when any value changes', () => {
    const a = sealPlan(buildPlan({actions: [deleteImage({repository: 'r', tags: ['a'], sizeBytes: 1})]}))
    const b = sealPlan(buildPlan({actions: [deleteImage({repository: 'r', tags: ['a'], sizeBytes: 2})]}))
    expect(a.checksum).not.toBe(b.checksum)
  })

  it('writes byte-identical text for identical input regardless of key order', () => {
    const doc = samplePlan()
    const reordered = Object.fromEntries(Object.entries(doc).reverse()) as unknown as PlanDocument
    expect(serializePlan(reordered)).toBe(serializePlan(doc))
    expect(serializePlan(doc)).toMatch(/^\{\n {2}"actions": \[/)
    expect(serializePlan(doc).endsWith('}\n')).toBe(true)
  })

  it('round-trips through parsePlan unchanged', () => {
    const doc = samplePlan()
    expect(parsePlan(serializePlan(doc), 'plan.json')).toEqual(doc)
  })

  it('accepts a re-indented plan: the checksum covers content, not whitespace', () => {
    const doc = samplePlan()
    expect(parsePlan(JSON.stringify(doc), 'plan.json')).toEqual(doc)
  })
})

describe('parsePlan refusals', () => {
  it('refuses text that is not JSON, e.g. a truncated file', () => {
    const text = serializePlan(samplePlan())
    const error = refusal(text.slice(0, text.length / 2))
    expect(error.message).toContain('plan.json is not valid JSON: it is truncated or corrupted')
  })

  it('refuses JSON that is not an ecrctl plan', () => {
    expect(refusal('{"hello": 1}').message).toBe('plan.json is not an ecrctl plan.')
    expect(refusal('[1,2]').message).toBe('plan.json is not an ecrctl plan.')
    const snapshot = refusal('{"kind": "ecrctl-live-snapshot", "formatVersion": 1}')
    expect(snapshot.message).toContain('not an ecrctl plan')
    expect(snapshot.detail).toContain('live-state snapshot')
  })

  it('refuses a plan from a newer format, naming the version', () => {
    const error = refusal(editAndReseal((doc) => (doc.formatVersion = 7)))
    expect(error.message).toBe('plan.json was made by a newer ecrctl (format 7); upgrade ecrctl.')
  })

  it('refuses a format 1 plan (reasons as words) with a message that says to re-plan', async () => {
    const path = new URL('./fixtures/plan-format-1.json', import.meta.url).pathname
    const error = await readPlanFile(path).then(
      () => expect.unreachable('a format 1 plan was read'),
      (caught: unknown) => caught as EcrctlError,
    )
    expect(error).toBeInstanceOf(EcrctlError)
    expect(error.message).toBe(`${path} was made by an older ecrctl (format 1); re-plan with this one.`)
    expect(error.nextSteps).toEqual(['Re-run `ecrctl plan --out <file>` to make a new plan.'])
  })

  it('refuses an unknown older or malformed format version', () => {
    expect(refusal(editAndReseal((doc) => (doc.formatVersion = 0))).message).toContain('unknown plan format (0)')
    expect(refusal(editAndReseal((doc) => (doc.formatVersion = '1'))).message).toContain('unknown plan format ("1")')
  })

  it('refuses a plan whose content was edited (tampered)', () => {
    const doc = JSON.parse(serializePlan(samplePlan()))
    doc.actions[0].imageDigest = doc.kept[0].imageDigest // someone redirects a delete to a kept image
    const error = refusal(JSON.stringify(doc))
    expect(error.message).toBe(
      'plan.json is tampered or corrupted: the checksum does not match its content; re-run ecrctl plan.',
    )
    expect(error.kind).toBe('refused')
  })

  it('refuses a plan whose checksum is missing', () => {
    const doc = JSON.parse(serializePlan(samplePlan()))
    delete doc.checksum
    expect(refusal(JSON.stringify(doc)).message).toContain('tampered or corrupted: it has no checksum')
  })

  it.each([
    ['a size that became a string', (d: any) => (d.actions[0].sizeBytes = '500000000'), 'actions[0].sizeBytes'],
    ['a digest that is not a digest', (d: any) => (d.actions[0].imageDigest = 'latest'), 'actions[0].imageDigest'],
    ['a digest ECR cannot hold (sha512)', (d: any) => (d.actions[0].imageDigest = `sha512:${'a'.repeat(128)}`), 'actions[0].imageDigest'],
    ['a sha256 digest of the wrong length', (d: any) => (d.kept[0].imageDigest = `sha256:${'a'.repeat(40)}`), 'kept[0].imageDigest'],
    ['a timestamp without a zone', (d: any) => (d.actions[0].imagePushedAt = '2025-01-01T00:00:00'), 'actions[0].imagePushedAt'],
    ['an unknown action type', (d: any) => (d.actions[0].type = 'deleteRepository'), 'actions[0].type'],
    ['a tags field that is not a list', (d: any) => (d.actions[0].imageTags = 'latest'), 'actions[0].imageTags'],
    ['an unknown field apply would not understand', (d: any) => (d.actions[0].force = true), 'actions[0]'],
    ['a bad timestamp', (d: any) => (d.evaluatedAt = 'yesterday'), 'evaluatedAt'],
    ['a missing registry', (d: any) => delete d.registry, 'registry'],
    ['an unknown reason code', (d: any) => (d.kept[0].reasons[0].code = 'because'), 'kept[0].reasons[0].code'],
  ])('refuses a re-checksummed plan with %s', (_name, edit, path) => {
    const error = refusal(editAndReseal(edit))
    expect(error.message).toBe('plan.json is not a valid ecrctl plan: its structure is wrong.')
    expect(error.detail).toContain(path)
  })

  const KEEP_TEN = JSON.stringify({
    rules: [{rulePriority: 1, selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10}, action: {type: 'expire'}}],
  })

  it('accepts lifecycle actions', () => {
    const doc = sealPlan(
      buildPlan({
        actions: [
          {type: 'putLifecyclePolicy', repository: 'a', before: null, after: KEEP_TEN, declaredBy: {entry: 'a', file: 'desired-state/a.yaml', line: 4}},
          {type: 'deleteLifecyclePolicy', repository: 'b', before: '{"rules":[]}', declaredBy: {entry: 'b*', file: 'desired-state/b.yaml', line: 9}},
        ],
      }),
    )
    expect(parsePlan(serializePlan(doc), 'plan.json')).toEqual(doc)
  })
})

describe('readPlanFile / writePlanFile', () => {
  it('writes and reads back the same plan, and names a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecrctl-planfile-'))
    const path = join(dir, 'plan.json')
    const doc = samplePlan()
    await writePlanFile(path, doc)
    expect(await readFile(path, 'utf8')).toBe(serializePlan(doc))
    expect(await readPlanFile(path)).toEqual(doc)

    await expect(readPlanFile(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read the plan file .*missing\.json \(ENOENT\)/)
    await writeFile(path, '')
    await expect(readPlanFile(path)).rejects.toThrow(/not valid JSON/)
  })
})

describe('serializePlan layout', () => {
  it('writes empty arrays as [] so untagged images read naturally', () => {
    const doc = sealPlan(buildPlan({actions: [deleteImage({repository: 'r', tags: []})]}))
    expect(serializePlan(doc)).toContain('"imageTags":[],')
    expect(parsePlan(serializePlan(doc), 'plan.json')).toEqual(doc)
  })
})
