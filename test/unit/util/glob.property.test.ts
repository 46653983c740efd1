/**
 * The linear-time glob matcher against the regex-based one it replaced (kept here as the oracle):
 * the same answer for random globs and texts over a small alphabet, where near-misses are common.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {compileGlob, globMatches} from '../../../src/util/glob.js'

/** The matcher ecrctl used before: `*` → `.*`, everything else literal, anchored, dotAll. */
function regexOracle(glob: string, text: string): boolean {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}$`, 's').test(text)
}

const alphabet = fc.constantFrom('a', 'b', '-', '.', '/', '(', '\\', '\n')
const text = fc.array(alphabet, {maxLength: 14}).map((chars) => chars.join(''))
const glob = fc.array(fc.oneof({weight: 3, arbitrary: alphabet}, {weight: 2, arbitrary: fc.constant('*')}), {maxLength: 9}).map((chars) => chars.join(''))

describe('glob matching', () => {
  it('agrees with the regex-based matcher on random globs and texts', () => {
    fc.assert(
      fc.property(glob, text, (g, t) => {
        expect(compileGlob(g)(t)).toBe(regexOracle(g, t))
        expect(globMatches(g, t)).toBe(regexOracle(g, t))
      }),
      {numRuns: 10_000},
    )
  })

  it('agrees on texts built from the glob itself (so most of them match)', () => {
    fc.assert(
      fc.property(glob, fc.array(text, {minLength: 8, maxLength: 8}), (g, fillers) => {
        let i = 0
        const t = g.replace(/\*/g, () => fillers[i++ % fillers.length]!)
        expect(compileGlob(g)(t)).toBe(regexOracle(g, t))
        expect(compileGlob(g)(t)).toBe(true)
      }),
      {numRuns: 5_000},
    )
  })

  it.each([
    ['*', '', true],
    ['a*', 'a', true],
    ['*a*a*', 'a', false],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['20*-*', '20240917-143022', true],
    ['prod/*', 'prod/x/y', true],
    ['*.sig', 'sha256-abc.sig', true],
  ])('%j against %j → %s', (g, t, expected) => {
    expect(compileGlob(g)(t)).toBe(expected)
    expect(regexOracle(g, t)).toBe(expected)
  })

  // The regex matcher backtracks here: ten wildcards against a 300-character near-miss took it
  // longer than any test timeout (four took 0.4 s per tag). A hang guard, not a timed assertion.
  it('decides many wildcards against a long near-miss tag without backtracking', () => {
    const pattern = `${'a*'.repeat(10)}b`
    const tags = Array.from({length: 1_000}, (_, i) => `${'a'.repeat(299 - (i % 5))}c`)
    expect(tags.some((tag) => globMatches(pattern, tag))).toBe(false)
    expect(globMatches(pattern, `${'a'.repeat(299)}b`)).toBe(true)
  })
})
