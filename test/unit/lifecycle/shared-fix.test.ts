/**
 * One desired-state entry (e.g. "spaceport/*") declares the lifecycle policy of several
 * repositories: its conflicts are refused together, with ONE fix (the union of the protective
 * rules) verified against every repository the entry governs, so pasting it once makes the plan
 * succeed. (emulator: moto never runs policies, so all of this is planned offline)
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {parse as parseYaml, parseDocument} from 'yaml'
import {parseDesiredState} from '../../../src/desired/load.js'
import {EcrctlError, isEcrctlError} from '../../../src/errors.js'
import {type GovernedRepository, findLifecycleConflicts, sharedLifecycleFix} from '../../../src/lifecycle/conflicts.js'
import {assessRepositoryLifecycle, lifecycleConflictRefusals} from '../../../src/planner/lifecycle-actions.js'
import type {LifecyclePolicyDoc, RepositoryEntry} from '../../../src/model/desired.js'
import type {KeptImage} from '../../../src/model/plan.js'
import type {LiveSnapshot} from '../../../src/model/snapshot.js'
import {createPlan} from '../../../src/planner/plan.js'
import {NOW, image, keptBy, policy} from './builders.js'

const EXAMPLE_NOW = new Date('2025-02-01T00:00:00Z')
const options = {now: EXAMPLE_NOW, pricePerGbMonth: 0.1, ecrctlVersion: '0.0.0-test'}
const FILE = 'desired-state/spaceport.yaml'
const snapshot = (): LiveSnapshot => JSON.parse(readFileSync('examples/spaceport/live-state.json', 'utf8')) as LiveSnapshot
const keepTen = policy({rulePriority: 1, description: 'Keep only 10 most recent images', selection: {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10}, action: {type: 'expire'}})

/** The bundled desired state with the seed's keep-10 rule alone under "spaceport/*" (the issue's reproduction). */
function seedRuleOnly(): string {
  const document = parseDocument(readFileSync(FILE, 'utf8'))
  document.setIn(['repositories', 'spaceport/*', 'lifecycle'], keepTen)
  return document.toString()
}

/** What `ecrctl plan` prints after "Error: ". */
function printedRefusal(text: string): string {
  try {
    createPlan(parseDesiredState(text, FILE), snapshot(), options)
  } catch (error) {
    if (isEcrctlError(error)) return error.format()
    throw error
  }
  throw new Error('expected plan to refuse the seed rule')
}

/** The YAML block printed after "Fix: … Paste as …:", as a user would select it. */
function pastedFix(printed: string): LifecyclePolicyDoc {
  const lines = printed.split('\n')
  const start = lines.findIndex((line) => line.startsWith('Fix: ')) + 1
  expect(lines[start]).toBe('lifecycle:')
  let end = start + 1
  while (end < lines.length && lines[end]!.startsWith('  ')) end++
  return (parseYaml(lines.slice(start, end).join('\n')) as {lifecycle: LifecyclePolicyDoc}).lifecycle
}

const spaceportRepositories = (snap: LiveSnapshot): string[] => snap.repositories.filter((r) => r.name.startsWith('spaceport/')).map((r) => r.name).sort()

describe('one verified fix per declaring entry (emulator: moto never runs policies)', () => {
  it('refuses the seed rule once for "spaceport/*", listing each repository\'s images, with one fix', () => {
    const printed = printedRefusal(seedRuleOnly())
    expect(printed.match(/^Fix: /gm)).toHaveLength(1)
    expect(printed).toMatch(/^The desired lifecycle policy of entry "spaceport\/\*" \(desired-state\/spaceport.yaml:\d+\) would expire \d+ images the desired state keeps in \d+ repositories: /)
    for (const name of ['spaceport/3dgs', 'spaceport/compressor', 'spaceport/sfm']) expect(printed).toMatch(new RegExp(`^${name} \\(\\d+ images?\\):$`, 'm'))
    expect(printed).toMatch(/real-colmap-fixed-final/)
    expect(printed).toMatch(/checked by re-evaluating the fixed policy in each of the \d+ repositories the entry governs/)
    // The fix covers every repository's kept tags, not only one repository's.
    const globs = pastedFix(printed).rules.flatMap((rule) => rule.selection.tagPatternList ?? [])
    expect(globs).toEqual(expect.arrayContaining(['20*-*', 'latest', 'optimized-*', 'real-colmap-fixed-final']))
  })

  it('the printed fix, pasted as the entry\'s lifecycle:, makes the plan succeed with no conflict in any repository', () => {
    const fix = pastedFix(printedRefusal(seedRuleOnly()))
    const document = parseDocument(seedRuleOnly())
    document.setIn(['repositories', 'spaceport/*', 'lifecycle'], fix)
    const snap = snapshot()
    const plan = createPlan(parseDesiredState(document.toString(), FILE), snap, options)
    const governed = spaceportRepositories(snap)
    expect(plan.lifecycle?.map((report) => report.repository).sort()).toEqual(governed)
    for (const report of plan.lifecycle ?? []) {
      expect(report.policy).toBe('desired')
      expect(report.acceptedConflicts).toEqual([])
    }
    for (const put of plan.actions) if (put.type === 'putLifecyclePolicy') expect(JSON.parse(put.after).rules).toHaveLength(fix.rules.length)
    // The fix keeps the seed rule last, behind the protective rules.
    expect(fix.rules.at(-1)).toMatchObject({description: 'Keep only 10 most recent images', selection: {countNumber: 10}})
  })

  it('leaves a live policy (lifecycle unmanaged) refused per repository, as before', () => {
    const document = parseDocument(readFileSync(FILE, 'utf8'))
    document.deleteIn(['repositories', 'spaceport/*', 'lifecycle'])
    const snap = snapshot()
    let refusal: EcrctlError | undefined
    try {
      createPlan(parseDesiredState(document.toString(), FILE), snap, options)
    } catch (error) {
      if (error instanceof EcrctlError) refusal = error
    }
    const printed = refusal?.format() ?? ''
    const liveRefused = spaceportRepositories(snap).filter((name) => printed.includes(`The live lifecycle policy of ${name} (`))
    expect(liveRefused.length).toBeGreaterThan(1)
    expect(printed.match(/Fix: /g)).toHaveLength(liveRefused.length)
  })
})

describe('sharedLifecycleFix (emulator: moto never runs policies)', () => {
  const tenNewer = (prefix: string) => Array.from({length: 12}, (_, i) => image(`${prefix}-dev-${i}`, [`${prefix}-dev-${i}`], 10 - i / 2))
  function governed(name: string, keptTag: string): GovernedRepository {
    const kept = image(`${name}-prod`, [keptTag], 100)
    return {repository: name, images: [kept, ...tenNewer(name)], kept: [{image: kept, keptBecause: keptBy('production')}], accept: []}
  }

  it('unions the protective rules each repository needs, and verifies the result in every one', () => {
    const a = governed('app/a', 'prod-a')
    const b = governed('app/b', 'prod-b')
    const quiet: GovernedRepository = {repository: 'app/c', images: tenNewer('c'), kept: [], accept: []}
    // Each repository alone gets a fix for itself only.
    expect(findLifecycleConflicts(keepTen, a.images, a.kept, NOW).fix!.protectiveRules.map((rule) => rule.selection.tagPatternList)).toEqual([['prod-a']])
    const fix = sharedLifecycleFix(keepTen, [a, b, quiet], NOW)!
    expect(fix.protectiveRules.map((rule) => rule.selection.tagPatternList)).toEqual([['prod-a'], ['prod-b']])
    expect(fix).toMatchObject({verified: true, unresolved: [], violations: [], unfixable: []})
    for (const repository of [a, b, quiet]) expect(findLifecycleConflicts(fix.policy, repository.images, repository.kept, NOW).conflicts).toEqual([])
  })

  it('is undefined when no repository conflicts, and honours each repository\'s own acceptLifecycleConflicts', () => {
    const a = governed('app/a', 'prod-a')
    expect(sharedLifecycleFix(keepTen, [{...a, accept: ['prod-*']}], NOW)).toBeUndefined()
    const fix = sharedLifecycleFix(keepTen, [{...a, accept: ['prod-*']}, governed('app/b', 'prod-b')], NOW)!
    expect(fix.protectiveRules.map((rule) => rule.selection.tagPatternList)).toEqual([['prod-b']])
  })

  it('is not verified when the union is more than ECR accepts (over 50 rules)', () => {
    const many = Array.from({length: 50}, (_, i) => governed(`app/r${i}`, `prod-${i}`))
    const fix = sharedLifecycleFix(keepTen, many, NOW)!
    expect(fix.verified).toBe(false)
    expect(fix.violations.length).toBeGreaterThan(0)
  })

  it('reports untagged kept images as unfixable, by repository', () => {
    const untagged = image('app/u-prod', [], 100)
    const fix = sharedLifecycleFix(keepTen, [governed('app/a', 'prod-a'), {repository: 'app/u', images: [untagged, ...tenNewer('u')], kept: [{image: untagged, keptBecause: keptBy('digest pin')}], accept: []}], NOW)!
    expect(fix.unfixable.map((item) => [item.repository, item.conflict.imageDigest])).toEqual([['app/u', untagged.digest]])
    expect(fix.verified).toBe(true)
  })
})

describe('lifecycleConflictRefusals (emulator: moto never runs policies)', () => {
  const entry: RepositoryEntry = {
    pattern: 'app/*',
    source: {file: 'desired-state/x.yaml', line: 3, column: 3},
    keep: [{label: 'app/* keep[0] tag=prod-*', entry: 'app/*', index: 0, source: {file: 'desired-state/x.yaml', line: 6, column: 7}, tags: ['prod-*']}],
    lifecycle: keepTen,
    lifecycleSource: {file: 'desired-state/x.yaml', line: 4, column: 5},
  }
  const keptProd = (name: string, digest: string) => ({
    imageDigest: digest,
    reasons: [{code: 'keepRule' as const, rule: 'app/* keep[0] tag=prod-*', message: `keep rule: production ${name}`}],
  })
  function assessed(name: string, withProd: boolean) {
    const prod = image(`${name}-prod`, [`prod-${name.slice(4)}`], 100)
    const dev = Array.from({length: 12}, (_, i) => image(`${name}-dev-${i}`, [`dev-${i}`], 10 - i / 2))
    const images = withProd ? [prod, ...dev] : dev
    return assessRepositoryLifecycle({name, lifecyclePolicy: null, imagesRead: true, images}, [entry], {kept: images.map((img) => (img === prod ? keptProd(name, img.digest) : {imageDigest: img.digest, reasons: []})) as unknown as KeptImage[], imagesManaged: true}, NOW)
  }

  it('gives one refusal per declaring entry, naming only the conflicting repositories but verifying in all', () => {
    const refusals = lifecycleConflictRefusals([assessed('app/a', true), assessed('app/b', true), assessed('app/c', false)], NOW)
    expect(refusals).toHaveLength(1)
    const printed = refusals[0]!.format()
    expect(refusals[0]!.message).toMatch(/entry "app\/\*" \(desired-state\/x.yaml:4\) would expire 2 images the desired state keeps in 2 repositories: app\/a, app\/b\./)
    expect(printed).not.toMatch(/^app\/c \(/m)
    expect(printed).toMatch(/in each of the 3 repositories the entry governs \(app\/a, app\/b, app\/c\)/)
    expect(printed).toMatch(/acceptLifecycleConflicts: \["prod-a","prod-b"\]/)
    const fix = pastedFix(printed)
    expect(fix.rules.map((rule) => rule.selection.tagPatternList ?? null)).toEqual([['prod-*'], null])
  })

  it('refuses nothing when no repository conflicts', () => {
    expect(lifecycleConflictRefusals([assessed('app/c', false)], NOW)).toEqual([])
  })
})
