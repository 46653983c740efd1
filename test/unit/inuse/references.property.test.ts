/**
 * Property tests of the reference scanner:
 * - against an oracle written here the slow, obvious way (try every position with regular
 *   expressions), on random text built from the characters that matter;
 * - on random references written in every form, between random separators: each is found, with
 *   the right fields, and nothing else is.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {findReferences, repositoryNames, type ReferenceMatch} from '../../../src/inuse/references.js'

const HEX = 'c0ffee'.repeat(10) + 'abcd'
const NAMES = ['ab', 'a/ab', 'ab/b1', 'b1', 'x-y.z']

/** Rule 2 only, the way the docs state it: known name at a word or segment start, then a version. */
function oracle(text: string, names: string[]): Array<{start: number; end: number; repository: string; tag?: string; digest?: string}> {
  const wordChar = /[A-Za-z0-9_.\-/]/
  const found = []
  let resume = 0
  // Candidates grouped by where the name ends (the `:` or `@`), taken left to right.
  for (let trigger = 0; trigger < text.length; trigger++) {
    if (trigger < resume || (text[trigger] !== ':' && text[trigger] !== '@')) continue
    const starts = names
      .filter((name) => trigger - name.length >= 0 && text.slice(trigger - name.length, trigger) === name)
      .map((name) => ({name, start: trigger - name.length}))
      .filter(({start}) => start === 0 || !wordChar.test(text[start - 1]!) || text[start - 1] === '/')
      .sort((a, b) => a.start - b.start)
    const best = starts[0]
    if (!best) continue
    const rest = text.slice(trigger)
    let match: {end: number; tag?: string; digest?: string} | undefined
    if (text[trigger] === '@') {
      const wordStart = text.slice(0, best.start).search(/[A-Za-z0-9_.\-/]*$/)
      const wholeWordAfterColon = best.start === wordStart && wordStart > 0 && text[wordStart - 1] === ':'
      const digest = /^@(sha256:[0-9a-f]{64})(?![A-Za-z0-9_])/.exec(rest)
      if (digest && !wholeWordAfterColon) match = {end: trigger + digest[0].length, digest: digest[1]!}
    } else {
      const tag = /^:([A-Za-z0-9_][A-Za-z0-9_.-]*)/.exec(rest)
      const after = tag ? rest[tag[0].length] : undefined
      if (tag && after !== '/' && after !== '$' && after !== '{' && after !== '%') {
        const trimmed = tag[1]!.replace(/\.+$/, '')
        if (trimmed !== tag[1]) match = {end: trigger + 1 + trimmed.length, tag: trimmed}
        else {
          const digest = /^@(sha256:[0-9a-f]{64})(?![A-Za-z0-9_])/.exec(rest.slice(tag[0].length))
          match = digest ? {end: trigger + tag[0].length + digest[0].length, tag: trimmed, digest: digest[1]!} : {end: trigger + tag[0].length, tag: trimmed}
        }
      }
    }
    if (!match) continue
    found.push({start: best.start, repository: best.name, ...match})
    resume = match.end
  }
  return found
}

const simplify = (matches: ReferenceMatch[]) =>
  matches.map(({start, end, repository, tag, digest}) => ({start, end, repository, ...(tag !== undefined ? {tag} : {}), ...(digest !== undefined ? {digest} : {})}))

describe('reference scanner', () => {
  it('agrees with the slow oracle on random text', () => {
    const token = fc.constantFrom('a', 'b', '1', 'ab', 'b1', '/', ':', '@', '.', '-', '_', 'A', '$', '{', '%', ' ', '"', '\n', `@sha256:${HEX}`, `sha256:${HEX}`, 'x-y.z')
    fc.assert(
      fc.property(fc.array(token, {maxLength: 40}), (tokens) => {
        const text = tokens.join('')
        expect(simplify(findReferences(text, repositoryNames(NAMES)))).toEqual(oracle(text, NAMES))
      }),
      {numRuns: 3000},
    )
  })

  interface Written {
    text: string
    registry?: {accountId: string; region: string}
    repository: string
    tag?: string
    digest?: string
  }

  const repository = fc.constantFrom('spaceport/sfm', 'sfm', 'team-a/service.x', 'b_c/d-e/f')
  const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}[A-Za-z0-9_]$/)
  const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`)
  const account = fc.stringMatching(/^[0-9]{12}$/)
  const region = fc.constantFrom('us-east-1', 'eu-central-1', 'us-gov-west-1', 'cn-north-1')

  const written: fc.Arbitrary<Written> = fc.oneof(
    // full URI, any repository
    fc.record({account, region, repository: fc.constantFrom('other/app', 'x1', 'spaceport/sfm'), tag: fc.option(tag, {nil: undefined}), digest: fc.option(digest, {nil: undefined})}).map((r) => {
      const host = `${r.account}.dkr.ecr.${r.region}.amazonaws.com${r.region.startsWith('cn-') ? '.cn' : ''}`
      const version = `${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`
      return {
        text: `${host}/${r.repository}${version}`,
        registry: {accountId: r.account, region: r.region},
        repository: r.repository,
        ...(r.tag === undefined && r.digest === undefined ? {tag: 'latest'} : {}),
        ...(r.tag !== undefined ? {tag: r.tag} : {}),
        ...(r.digest !== undefined ? {digest: r.digest} : {}),
      }
    }),
    // known name with a tag and/or a digest, maybe behind a placeholder or foreign host
    fc
      .record({
        prefix: fc.constantFrom('', '{account}.dkr.ecr.{region}.amazonaws.com/', '${REGISTRY}/', 'ghcr.io/acme/'),
        repository,
        tag: fc.option(tag, {nil: undefined}),
        digest: fc.option(digest, {nil: undefined}),
      })
      .filter((r) => r.tag !== undefined || r.digest !== undefined)
      .map((r) => ({
        text: `${r.repository}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`,
        prefix: r.prefix,
        repository: r.repository,
        ...(r.tag !== undefined ? {tag: r.tag} : {}),
        ...(r.digest !== undefined ? {digest: r.digest} : {}),
      })),
  )
  const separator = fc.constantFrom(' ', '\n', '"', "'", ', ', '=', '(', ') ', '[', '] ', ': ', '\t', '`', ' -> ', '\nFROM ', '> ', '; ')

  it('finds every reference written in any form, with its fields, and nothing else', () => {
    const names = repositoryNames(['spaceport/sfm', 'sfm', 'team-a/service.x', 'b_c/d-e/f'])
    fc.assert(
      fc.property(fc.array(fc.tuple(separator, written), {maxLength: 8}), separator, (parts, last) => {
        let text = ''
        const expected: Array<Omit<Written, 'text'> & {text: string}> = []
        for (const [before, reference] of parts) {
          const {prefix = '', ...fields} = reference as Written & {prefix?: string}
          text += before + prefix
          expected.push(fields)
          text += reference.text
        }
        text += last
        const actual = findReferences(text, names).map((m) => ({
          text: text.slice(m.start, m.end),
          ...(m.registry ? {registry: m.registry} : {}),
          repository: m.repository,
          ...(m.tag !== undefined ? {tag: m.tag} : {}),
          ...(m.digest !== undefined ? {digest: m.digest} : {}),
        }))
        expect(actual).toEqual(expected)
      }),
      {numRuns: 2000},
    )
  })
})
