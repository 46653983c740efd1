import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {compilePathGlob, filePatternProblem, pathGlobProblem, splitFilePattern} from '../../../src/util/path-glob.js'

const matches = (glob: string, path: string) => compilePathGlob(glob).matches(path)

describe('path globs', () => {
  it("matches the issue's include and exclude lists the way .gitignore users expect", () => {
    expect(matches('**/*.py', 'lambda_function.py')).toBe(true)
    expect(matches('**/*.py', 'start_ml_job/lambda_function.py')).toBe(true)
    expect(matches('**/*.py', 'start_ml_job/lambda_function.pyc')).toBe(false)
    expect(matches('*.py', 'start_ml_job/lambda_function.py')).toBe(false)
    expect(matches('**/tests/**', 'tests/test_sfm.py')).toBe(true)
    expect(matches('**/tests/**', 'a/b/tests/c/test_sfm.py')).toBe(true)
    expect(matches('**/tests/**', 'a/tests')).toBe(false)
    expect(matches('**/tests/**', 'a/mytests/x.py')).toBe(false)
    expect(matches('infra/**/stack.ts', 'infra/stack.ts')).toBe(true)
    expect(matches('infra/**/stack.ts', 'infra/a/b/stack.ts')).toBe(true)
    expect(matches('**/*.{yaml,yml}', '.github/workflows/deploy.yml')).toBe(true)
    expect(matches('**/*.{yaml,yml}', 'x.json')).toBe(false)
    expect(matches('pages/[id].ts?', 'pages/[id].tsx')).toBe(true)
    expect(matches('./src/*.ts', 'src/a.ts')).toBe(true)
    expect(matches('**', 'any/thing')).toBe(true)
  })

  it('says which directories a walker can skip', () => {
    expect(compilePathGlob('**/tests/**').matchesEverythingUnder('a/tests')).toBe(true)
    expect(compilePathGlob('**/tests/**').matchesEverythingUnder('a/tests2')).toBe(false)
    expect(compilePathGlob('node_modules/**').matchesEverythingUnder('node_modules')).toBe(true)
    expect(compilePathGlob('node_modules/**').matchesEverythingUnder('a/node_modules')).toBe(false)
    expect(compilePathGlob('**/*.py').matchesEverythingUnder('a')).toBe(false)
    expect(compilePathGlob('**').matchesEverythingUnder('a')).toBe(true)
  })

  it('names the fix for globs it refuses', () => {
    expect(pathGlobProblem('')).toMatch(/empty/)
    expect(pathGlobProblem('/abs/*.py')).toMatch(/leading "\/"/)
    expect(pathGlobProblem('../x/*.py')).toMatch(/"\.\."/)
    expect(pathGlobProblem('a**/b')).toMatch(/whole segment/)
    expect(pathGlobProblem('a\\b')).toMatch(/not "\\"/)
    expect(pathGlobProblem('a//b')).toMatch(/empty segments/)
    expect(pathGlobProblem('a/./b')).toMatch(/"\." segment/)
    expect(pathGlobProblem('*.{a,{b,c}}')).toMatch(/nested/)
    expect(pathGlobProblem('*.{a,b')).toMatch(/not closed/)
    expect(pathGlobProblem('{a/b,c}')).toMatch(/cannot contain "\/"/)
    expect(pathGlobProblem('**/*.py')).toBeUndefined()
    expect(() => compilePathGlob('a**')).toThrow(/invalid path glob "a\*\*"/)
  })

  /** The obvious recursive matcher, segment by segment, each segment's braces expanded. */
  function oracle(glob: string, path: string): boolean {
    const expand = (text: string): string[] => {
      const open = text.indexOf('{')
      if (open < 0) return [text]
      const close = text.indexOf('}', open)
      return text.slice(open + 1, close).split(',').flatMap((alt) => expand(text.slice(0, open) + alt + text.slice(close + 1)))
    }
    const segment = (g: string, s: string): boolean => {
      if (g === '') return s === ''
      if (g[0] === '*') return segment(g.slice(1), s) || (s !== '' && segment(g, s.slice(1)))
      if (s === '') return false
      return (g[0] === '?' || g[0] === s[0]) && segment(g.slice(1), s.slice(1))
    }
    const segments = (gs: string[], ps: string[]): boolean => {
      if (gs.length === 0) return ps.length === 0
      if (gs[0] === '**') {
        if (gs.length === 1) return ps.length >= 1
        return segments(gs.slice(1), ps) || (ps.length > 0 && segments(gs, ps.slice(1)))
      }
      return ps.length > 0 && expand(gs[0]!).some((g) => segment(g, ps[0]!)) && segments(gs.slice(1), ps.slice(1))
    }
    return segments(glob.replace(/^\.\//, '').split('/'), path.split('/'))
  }

  it('agrees with a recursive matcher on random globs and paths', () => {
    const globSegment = fc.oneof(
      fc.constant('**'),
      fc.array(fc.constantFrom('a', 'b', '.', '*', '?', '{a,b}', '{,x}', '['), {minLength: 1, maxLength: 4}).map((parts) => parts.join('')),
    )
    const glob = fc.array(globSegment, {minLength: 1, maxLength: 4}).map((s) => s.join('/'))
    const path = fc.array(fc.stringMatching(/^[ab.x[]{1,3}$/), {minLength: 1, maxLength: 5}).map((s) => s.join('/'))
    fc.assert(
      fc.property(glob, path, (g, p) => {
        fc.pre(pathGlobProblem(g) === undefined)
        expect(matches(g, p)).toBe(oracle(g, p))
      }),
      {numRuns: 3000},
    )
  })

  it('splits a file pattern into the directory its literal segments name and the glob below it', () => {
    expect(splitFilePattern('scans/*.json')).toEqual({base: 'scans', glob: '*.json'})
    expect(splitFilePattern('*.json')).toEqual({base: '', glob: '*.json'})
    expect(splitFilePattern('../../scans/**/prod-?.json')).toEqual({base: '../../scans', glob: '**/prod-?.json'})
    expect(splitFilePattern('/var/scans/{a,b}/x.json')).toEqual({base: '/var/scans', glob: '{a,b}/x.json'})
    expect(splitFilePattern('./scans/one.json')).toEqual({base: 'scans/one.json'})
    expect(splitFilePattern('pages/[id].json')).toEqual({base: 'pages/[id].json'})
  })

  it('allows ".." and absolute paths in a file pattern only before the first wildcard', () => {
    expect(filePatternProblem('../scans/*.json')).toBeUndefined()
    expect(filePatternProblem('/var/scans/**/*.json')).toBeUndefined()
    expect(filePatternProblem('one.json')).toBeUndefined()
    expect(filePatternProblem('scans/*/../x.json')).toMatch(/before the first wildcard/)
    expect(filePatternProblem('')).toMatch(/names no file/)
    expect(filePatternProblem('scans/')).toMatch(/trailing/)
    expect(filePatternProblem('scans//*.json')).toMatch(/empty segments/)
    expect(filePatternProblem('scans\\*.json')).toMatch(/not "\\"/)
    expect(filePatternProblem('scans/**.json')).toMatch(/whole segment/)
  })
})
