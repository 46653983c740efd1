import {describe, expect, it} from 'vitest'
import {DesiredStateError} from '../../../src/desired/issues.js'
import {parseDesiredState} from '../../../src/desired/load.js'
import {brief, issuesOf, yaml} from './helpers.js'

describe('desired-state errors name file, line and column', () => {
  it('an unknown key, with the closest known key suggested', () => {
    const text = yaml(`
      version: 1
      repositories:
        spaceport/sfm:
          keeep:
            - tag: latest
    `)
    const [issue] = issuesOf(text)
    expect(issue).toMatchObject({file: 'desired-state/x.yaml', line: 4, column: 5})
    expect(issue?.path).toBe('repositories."spaceport/sfm"')
    expect(issue?.message).toBe('unknown key "keeep" (did you mean "keep"?)')
  })

  it('an unknown key with nothing close lists the keys allowed there, and hides the follow-on "no condition" error', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          keep:
            - colour: blue
    `)
    expect(brief(issuesOf(text))).toEqual([
      '5:9 repositories.app.keep[0]: unknown key "colour"; allowed here: tag, tags, digest, digests, pushedWithin, pulledWithin, newest, reason',
    ])
  })

  it('reads as one list with the command to re-check', () => {
    const text = yaml(`
      version: 1
      repositories:
        spaceport/sfm:
          keep:
            - tga: latest
    `)
    try {
      parseDesiredState(text, 'desired-state/x.yaml')
      expect.fail('should be rejected')
    } catch (error) {
      expect((error as DesiredStateError).format()).toBe(
        [
          'Invalid desired state (1 error):',
          '  desired-state/x.yaml:5:9: repositories."spaceport/sfm".keep[0]: unknown key "tga" (did you mean "tag"?)',
          'Fix the file(s) and check again with `ecrctl validate -f desired-state/x.yaml`.',
        ].join('\n'),
      )
      expect((error as DesiredStateError).exitCode).toBe(1)
    }
  })

  it('bad globs, durations, digests and counts point at the value', () => {
    const text = yaml(`
      version: 1
      defaults:
        gracePeriod: 1 day
      repositories:
        app:
          keep:
            - tag: "feature/*"
            - digest: sha256:0123
            - pushedWithin: 30days
            - {tag: "20*", newest: 0}
            - tags: [a, "*b*c*d*e*f"]
    `)
    expect(brief(issuesOf(text))).toEqual([
      '3:16 defaults.gracePeriod: "1 day" is not a duration: write a whole number followed by s, m, h, d or w, e.g. 24h, 30d, 90d or 2w',
      '7:14 repositories.app.keep[0].tag: tag glob "feature/*" contains "/": ECR tags use only letters, digits, "_", "." and "-", and * as the wildcard',
      '8:17 repositories.app.keep[1].digest: "sha256:0123" is not a digest: a digest is "sha256:" followed by 64 lowercase hex characters, as ECR shows it (no short forms)',
      '9:23 repositories.app.keep[2].pushedWithin: "30days" is not a duration: write a whole number followed by s, m, h, d or w, e.g. 24h, 30d, 90d or 2w',
      '10:30 repositories.app.keep[3].newest: newest must be a positive whole number, e.g. newest: 5',
      '11:19 repositories.app.keep[4].tags[1]: tag glob "*b*c*d*e*f" has 5 "*" wildcards; at most 4 are allowed (as in ECR lifecycle tag patterns)',
    ])
  })

  it('a zero pushedWithin is refused (it would keep nothing), a zero grace period is allowed', () => {
    const text = yaml(`
      version: 1
      defaults: {gracePeriod: 0h}
      repositories:
        app:
          keep: [{pushedWithin: 0d}]
    `)
    expect(brief(issuesOf(text))).toEqual(['5:27 repositories.app.keep[0].pushedWithin: duration "0d" must be longer than zero'])
  })

  it('a bad repository name points at the key, and its entry is still checked', () => {
    const text = yaml(`
      version: 1
      repositories:
        Spaceport/SFM:
          keep: [{tga: x}]
    `)
    expect(brief(issuesOf(text))).toEqual([
      '3:3 repositories: repository name or glob "Spaceport/SFM" contains "S", "F", "M": ECR repository names use only lowercase letters, digits, ".", "_", "-" and "/", and * as the wildcard',
      '4:13 repositories."Spaceport/SFM".keep[0]: unknown key "tga" (did you mean "tag"?)',
    ])
  })

  it('a keep rule without any condition, and an entry with neither keep nor lifecycle', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          keep:
            - reason: forgot the condition
        other:
          gracePeriod: 7d
    `)
    expect(brief(issuesOf(text))).toEqual([
      '5:9 repositories.app.keep[0]: a keep rule needs at least one condition (tag, tags, digest, digests, pushedWithin, pulledWithin, newest); to keep nothing write "keep: []"',
      '7:5 repositories.other: an entry must declare "keep" (use "keep: []" to delete every image) or "lifecycle"',
    ])
  })

  it('YAML numbers where strings belong get a hint to quote them', () => {
    const text = yaml(`
      version: 1
      registry:
        accountId: 123456789012
      repositories:
        app:
          keep: [{tag: 2024}]
    `)
    expect(brief(issuesOf(text))).toEqual([
      '3:14 registry.accountId: accountId must be a quoted 12-digit string, e.g. accountId: "123456789012" (unquoted, YAML reads a number)',
      '6:18 repositories.app.keep[0].tag: expected a string, got number 2024 (quote it: "2024")',
    ])
  })

  it('a missing required key is reported at the mapping that should hold it', () => {
    const text = yaml(`
      repositories:
        app:
          keep: []
    `)
    expect(brief(issuesOf(text))).toEqual(['1:1 missing required key "version"'])
  })

  it('a wrong version', () => {
    expect(brief(issuesOf('version: 2\n'))).toEqual(['1:10 version: version must be 1 (the only desired-state format so far)'])
  })

  it('an empty file', () => {
    expect(brief(issuesOf('# nothing yet\n'))).toEqual([
      '1:1 the file is empty; a desired-state file starts with "version: 1"',
    ])
  })

  it('malformed YAML reports the parser position', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          keep: [tag: x
        other: {}
    `)
    const issues = issuesOf(text)
    expect(issues.length).toBeGreaterThan(0)
    expect(issues.every((issue) => issue.message.startsWith('YAML syntax:'))).toBe(true)
    expect(issues[0]?.line).toBeGreaterThanOrEqual(4)
  })

  it('a duplicate key in one file names the key at its second occurrence', () => {
    const text = yaml(`
      version: 1
      repositories:
        "spaceport/sfm": {keep: []}
        "spaceport/sfm": {keep: [tag: latest]}
    `)
    expect(brief(issuesOf(text))).toEqual([
      '4:3 duplicate key "spaceport/sfm": a key may appear only once in a mapping',
    ])
  })

  it('every error of a file is reported at once, in line order', () => {
    const text = yaml(`
      version: 1
      repositories:
        b:
          keep: [{tag: "a b"}]
        a:
          keep: [{pushedWithin: 3 days}]
    `)
    expect(issuesOf(text).map((issue) => issue.line)).toEqual([4, 6])
  })
})

describe('lifecycle policies', () => {
  it('structural errors inside a policy are reported inside it, not as "not none"', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          lifecycle:
            rules:
              - rulePriority: 1
                selection: {tagStatus: anyy, countNumber: 10}
                action: {type: EXPIRE, keep: true}
    `)
    expect(brief(issuesOf(text))).toEqual([
      '7:22 repositories.app.lifecycle.rules[0].selection: missing required key "countType"',
      '7:34 repositories.app.lifecycle.rules[0].selection.tagStatus: expected one of "tagged", "untagged", "any", got the string "anyy"',
      '8:26 repositories.app.lifecycle.rules[0].action.type: expected one of "expire", "transition", got the string "EXPIRE"',
      '8:34 repositories.app.lifecycle.rules[0].action: unknown key "keep"; allowed here: type, targetStorageClass',
    ])
  })

  it('a string other than none', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          lifecycle: off
    `)
    expect(brief(issuesOf(text))).toEqual([
      `4:16 repositories.app.lifecycle: lifecycle must be "none" (the repository has no policy) or a policy {rules: [...]} in ECR's rule shape`,
    ])
  })
})

describe('lifecycle policy semantics (src/lifecycle/validate.ts) are located like schema errors', () => {
  it('names the file line of the offending field and the rule priority', () => {
    const text = yaml(`
      version: 1
      repositories:
        app:
          lifecycle:
            rules:
              - rulePriority: 1
                selection: {tagStatus: tagged, tagPatternList: ["*a*b*c*d*e"], countType: imageCountMoreThan, countNumber: 5}
                action: {type: expire}
              - rulePriority: 2
                selection: {tagStatus: untagged, countType: sinceImagePushed, countNumber: 14}
                action: {type: expire}
    `)
    const issues = issuesOf(text)
    const wildcard = issues.find((issue) => issue.path.includes('tagPatternList'))
    expect(wildcard).toMatchObject({line: 7, path: 'repositories.app.lifecycle.rules[0].selection.tagPatternList[0]'})
    expect(wildcard?.message).toMatch(/^rule priority 1: /)
    const countUnit = issues.find((issue) => issue.path.startsWith('repositories.app.lifecycle.rules[1]'))
    expect(countUnit?.line).toBeGreaterThanOrEqual(9)
    expect(countUnit?.message).toMatch(/^rule priority 2: .*countUnit/)
  })
})
