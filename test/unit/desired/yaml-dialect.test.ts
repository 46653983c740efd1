/**
 * YAML 1.2 core schema only, and every YAML-level problem located at file:line (issue 9, item 11):
 * aliases, version directives, tags and `__proto__` keys.
 */
import {describe, expect, it} from 'vitest'
import {parseDesiredState} from '../../../src/desired/load.js'
import {brief, issuesOf, yaml} from './helpers.js'

describe('aliases', () => {
  it('an undefined alias is a located error, not a ReferenceError', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          keep: *rules
    `)
    expect(brief(issuesOf(text))).toEqual(['4:11 the alias *rules has no anchor &rules before it: define "&rules" on a value above this line'])
  })

  it('an alias used before its anchor is an undefined alias too', () => {
    const text = yaml(`
      version: 1
      repositories:
        app: {keep: *rules}
        web: {keep: &rules [{tag: latest}]}
    `)
    expect(brief(issuesOf(text))).toEqual(['3:15 the alias *rules has no anchor &rules before it: define "&rules" on a value above this line'])
  })

  it('an alias bomb is refused at the alias that expands most, with the figures', () => {
    const text = yaml(`
      version: 1
      x1: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
      x2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
      x3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
      x4: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
      x5: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
      x6: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
      repositories: {}
    `)
    const issues = issuesOf(text)
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({file: 'desired-state/x.yaml', line: 7})
    expect(issues[0]!.message).toBe(
      'aliases expand this file to 1,234,577 values, more than 10,000 beyond those written (the alias *e here alone stands for 111,111): ' +
        'write the values out, or use fewer nested aliases',
    )
  })

  it('an alias inside the value it names is refused rather than making endless data', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          keep: &loop [{tag: latest}, *loop]
    `)
    expect(brief(issuesOf(text))).toEqual(['4:33 the alias *loop is inside the value it names, which would make it endless'])
  })

  it('ordinary aliases still work, however often a small anchor is used (150 uses: the old alias count refused more than 100)', () => {
    const entries = Array.from({length: 150}, (_, i) => `  app-${i}: {keep: *rules}`).join('\n')
    const desired = parseDesiredState(
      `version: 1\nrepositories:\n  base: {keep: &rules [{tag: latest, reason: shared}]}\n${entries}\n`,
      'desired-state/x.yaml',
    )
    expect(desired.entries).toHaveLength(151)
    expect(desired.entries.at(-1)!.keep[0]!.tags).toEqual(['latest'])
  })
})

describe('YAML version and tags', () => {
  it('refuses a %YAML 1.1 header instead of reading 010 as 8', () => {
    const text = '%YAML 1.1\n---\nversion: 1\nrepositories:\n  app:\n    keep:\n      - tag: "20*"\n        newest: 010\n'
    const [issue] = issuesOf(text)
    expect(issue).toMatchObject({line: 1, column: 1})
    expect(issue!.message).toMatch(/^"%YAML 1\.1": ecrctl reads YAML 1\.2 only \(core schema\), where 010 is the number 10/)
  })

  it('reads 010 as 10 without a header, and accepts an explicit %YAML 1.2', () => {
    for (const header of ['', '%YAML 1.2\n---\n']) {
      const desired = parseDesiredState(`${header}version: 1\nrepositories:\n  app:\n    keep:\n      - tag: "20*"\n        newest: 010\n`, 'desired-state/x.yaml')
      expect(desired.entries[0]!.keep[0]!.newest).toBe(10)
    }
  })

  it('reads YAML 1.1 booleans as strings (yes is not true)', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          acceptLifecycleConflicts: yes
    `)
    expect(brief(issuesOf(text))[0]).toMatch(/^4:31 .*got the string "yes"/)
  })

  it.each([
    ['!foo latest', '!foo'],
    ['!!binary bGF0ZXN0', '!!binary'],
    ['!!timestamp 2025-01-01', '!!timestamp'],
  ])('refuses the tag in "tag: %s"', (value, tag) => {
    const text = `version: 1\nrepositories:\n  app:\n    keep:\n      - tag: ${value}\n`
    expect(brief(issuesOf(text))).toEqual([`5:14 the tag ${tag} is not allowed: desired-state files use plain YAML 1.2 values (core schema); remove the tag`])
  })

  it('accepts the core schema tags', () => {
    const desired = parseDesiredState('version: !!int 1\nrepositories: !!map\n  app:\n    keep:\n      - tag: !!str 2025\n', 'desired-state/x.yaml')
    expect(desired.entries[0]!.keep[0]!.tags).toEqual(['2025'])
  })
})

describe('__proto__ keys', () => {
  it('a __proto__ repository entry is a located error, not silently dropped', () => {
    const text = yaml(`
      version: 1
      repositories:
        __proto__:
          keep: []
        app:
          keep: []
    `)
    expect(brief(issuesOf(text))).toEqual(['3:3 "__proto__" is not a repository name: ECR repository names start with a lowercase letter or a digit'])
  })

  it('a quoted "__proto__" key elsewhere is refused too', () => {
    const text = 'version: 1\nrepositories:\n  app:\n    keep:\n      - tag: latest\n        "__proto__": {newest: 1}\n'
    expect(brief(issuesOf(text))).toEqual(['6:9 the key "__proto__" is not allowed'])
  })

  it('a collection as a key is refused rather than stringified', () => {
    const text = 'version: 1\nrepositories:\n  ? [a, b]\n  : {keep: []}\n'
    expect(brief(issuesOf(text))).toEqual(['3:5 a key must be a plain value (a name), not a list or a mapping'])
  })
})
