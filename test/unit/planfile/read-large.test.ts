/**
 * Plan files are read in chunks and one value at a time (src/document/json-pieces.ts), so a plan
 * larger than V8's longest string reads (issue 12, item 2). A real one is ~540 MB, too slow for
 * the suite: these tests lower the longest value the reader decodes at once instead.
 */
import {mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import {parsePlan, readPlanFile} from '../../../src/planfile/read.js'

const cases = fileURLToPath(new URL('../../golden/cases/', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'ecrctl-read-large-'))

async function readError(path: string, maxPieceLength?: number): Promise<EcrctlError> {
  try {
    await readPlanFile(path, {maxPieceLength})
  } catch (error) {
    expect(error).toBeInstanceOf(EcrctlError)
    return error as EcrctlError
  }
  throw new Error('the plan was read')
}

describe('readPlanFile: plans read one value at a time', () => {
  it('reads every golden plan as parsePlan does, with each value decoded on its own', async () => {
    for (const name of readdirSync(cases)) {
      const path = join(cases, name, 'expected', 'plan.json')
      const longestLine = Math.max(...readFileSync(path, 'utf8').split('\n').map((line) => Buffer.byteLength(line)))
      expect(await readPlanFile(path, {maxPieceLength: longestLine})).toEqual(parsePlan(readFileSync(path, 'utf8'), path))
    }
  })

  it('says a single value is too long to decode, not that the path is wrong', async () => {
    const path = join(cases, 'keep-by-tag', 'expected', 'plan.json')
    const error = await readError(path, 64)
    expect(error.message).toMatch(/^Cannot read .*plan\.json: one value \(at byte \d+\) is \d+ bytes long, more than the longest string this Node\.js can hold\.$/)
    expect(error.format()).not.toContain('Check the path')
  })

  it('says what is wrong with the path: missing, a directory', async () => {
    const missing = await readError(join(dir, 'missing.json'))
    expect(missing.format()).toContain('(ENOENT). The file does not exist.')
    const directory = await readError(dir)
    expect(directory.format()).toContain('(EISDIR). It is a directory, not a file.')
  })

  it('names the byte where a cut plan ends', async () => {
    const text = readFileSync(join(cases, 'keep-by-tag', 'expected', 'plan.json'), 'utf8')
    const path = join(dir, 'cut.json')
    writeFileSync(path, text.slice(0, 300))
    const error = await readError(path)
    expect(error.message).toBe(`${path} is not valid JSON: it is truncated or corrupted.`)
    expect(error.detail).toMatch(/^At byte \d+: /)
  })
})
