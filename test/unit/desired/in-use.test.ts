import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {DesiredStateError} from '../../../src/desired/issues.js'
import {buildDesiredState, loadDesiredState, parseDesiredState} from '../../../src/desired/load.js'
import {brief, issuesOf, yaml} from './helpers.js'

/** The issue's example, as written there. */
const ISSUE_EXAMPLE = yaml(`
  version: 1
  inUse:                           # images found in use are kept, whatever the keep rules say
    aws: [ecs, lambda, sagemaker, batch, stepfunctions]
    scans: ["scans/*.json"]
    kubernetes:
      - pods: k8s/prod-pods.json
      - context: prod-eks
    code:
      - path: ../spaceport
        include: ["**/*.py", "**/*.sh", "**/*.ts", "**/*.json", "**/*.yaml", "**/*.tf"]
        exclude: ["**/tests/**"]
  repositories:
    spaceport/sfm:
      keep: []
`)

const withInUse = (inUse: string): string => `version: 1\ninUse:\n${inUse.replace(/^\n/, '').replace(/^/gm, '  ')}\n`

describe('inUse in the desired state', () => {
  it("reads the issue's example: paths relative to the desired-state file, defaults filled in, each entry located", () => {
    const state = parseDesiredState(ISSUE_EXAMPLE, 'desired-state/main.yaml')
    expect(state.inUse).toEqual({
      aws: {
        source: {file: 'desired-state/main.yaml', line: 3, column: 8},
        setting: 'inUse.aws',
        sources: ['batch', 'ecs', 'lambda', 'sagemaker', 'stepfunctions'],
        batch: {jobDefinitionRevisions: 5},
        ecs: {taskDefinitionRevisions: 5},
        lambda: {versions: 5},
        stepfunctions: {versions: 5},
      },
      scans: [{source: {file: 'desired-state/main.yaml', line: 4, column: 11}, setting: 'inUse.scans[0]', pattern: 'scans/*.json', path: 'desired-state/scans', glob: '*.json'}],
      maxScanAgeMs: 24 * 3600 * 1000,
      kubernetes: [
        {source: {file: 'desired-state/main.yaml', line: 6, column: 7}, setting: 'inUse.kubernetes[0]', kind: 'pods', path: 'desired-state/k8s/prod-pods.json'},
        {source: {file: 'desired-state/main.yaml', line: 7, column: 7}, setting: 'inUse.kubernetes[1]', kind: 'context', context: 'prod-eks'},
      ],
      code: [
        {
          source: {file: 'desired-state/main.yaml', line: 9, column: 7},
          setting: 'inUse.code[0]',
          path: 'spaceport',
          include: ['**/*.py', '**/*.sh', '**/*.ts', '**/*.json', '**/*.yaml', '**/*.tf'],
          exclude: ['**/tests/**'],
        },
      ],
    })
  })

  it('omitted: no inUse in the model, so nothing is scanned', () => {
    expect(parseDesiredState('version: 1\n', 'x.yaml').inUse).toBeUndefined()
  })

  it('aws: "all", a list, or a mapping to per-source options (nothing after the key means the defaults)', () => {
    const aws = (text: string) => parseDesiredState(withInUse(text), 'x.yaml').inUse?.aws
    expect(aws('aws: all')?.sources).toEqual(['batch', 'ecs', 'lambda', 'sagemaker', 'stepfunctions'])
    expect(aws('aws: [lambda, ecs, lambda]')).toMatchObject({sources: ['ecs', 'lambda'], ecs: {taskDefinitionRevisions: 5}, lambda: {versions: 5}})
    const mapped = aws(
      yaml(`
        aws:
          ecs: {taskDefinitionRevisions: 10}
          lambda:
          sagemaker: {}
          stepfunctions: {versions: 2}
      `),
    )
    expect(mapped).toEqual({
      source: {file: 'x.yaml', line: 4, column: 5},
      setting: 'inUse.aws',
      sources: ['ecs', 'lambda', 'sagemaker', 'stepfunctions'],
      ecs: {taskDefinitionRevisions: 10},
      lambda: {versions: 5},
      stepfunctions: {versions: 2},
    })
  })

  it('maxScanAge is a positive duration, 24h by default', () => {
    expect(parseDesiredState(withInUse('scans: [a.json]\nmaxScanAge: 3d'), 'x.yaml').inUse?.maxScanAgeMs).toBe(3 * 24 * 3600 * 1000)
    expect(brief(issuesOf(withInUse('scans: [a.json]\nmaxScanAge: 0h')))).toEqual(['4:15 inUse.maxScanAge: duration "0h" must be longer than zero'])
  })

  it('scans: a file, a glob below a directory, ".." and absolute paths before the first wildcard', () => {
    const scans = parseDesiredState(withInUse('scans: [one.json, "../shared/scans/**/*.json", /var/scans/*.json, "./x/{a,b}.json"]'), 'ds/x.yaml').inUse?.scans
    expect(scans?.map(({pattern, path, glob}) => ({pattern, path, glob}))).toEqual([
      {pattern: 'one.json', path: 'ds/one.json', glob: undefined},
      {pattern: '../shared/scans/**/*.json', path: 'shared/scans', glob: '**/*.json'},
      {pattern: '/var/scans/*.json', path: '/var/scans', glob: '*.json'},
      {pattern: './x/{a,b}.json', path: 'ds/x', glob: '{a,b}.json'},
    ])
  })

  it('refuses unknown keys, unknown sources, bad options, bad globs and half-written entries, each at its line', () => {
    const text = yaml(`
      version: 1
      inUse:
        aws: [ecs, lamda]
        scan: [a.json]
        scans: ["scans/**.json", "scans/*/../x.json", ""]
        kubernetes:
          - pods: a.json
            context: prod
          - {}
          - pod: a.json
        code:
          - path: src
            include: ["/abs/*.py", "**/*.{py,sh"]
            exclude: ["a\\\\b"]
          - include: ["**"]
    `)
    expect(brief(issuesOf(text))).toEqual([
      '3:14 inUse.aws[1]: "lamda" is not an AWS source ecrctl scans: use batch, ecs, lambda, sagemaker, stepfunctions, or "all"',
      '4:3 inUse: unknown key "scan" (did you mean "scans"?)',
      '5:11 inUse.scans[0]: file pattern "scans/**.json": "**" must be a whole segment, as in "**/x" or "a/**"; use "*" within a name',
      '5:28 inUse.scans[1]: file pattern "scans/*/../x.json": ".." may appear only before the first wildcard, as in "../scans/*.json"',
      '5:49 inUse.scans[2]: file pattern "": an empty pattern names no file',
      '7:7 inUse.kubernetes[0]: a kubernetes entry names exactly one of "pods" (a kubectl JSON file) or "context" (a kubeconfig context); write two entries for both',
      '9:7 inUse.kubernetes[1]: a kubernetes entry names exactly one of "pods" (a kubectl JSON file) or "context" (a kubeconfig context); write two entries for both',
      '10:7 inUse.kubernetes[2]: unknown key "pod" (did you mean "pods"?)',
      '13:17 inUse.code[0].include[0]: path glob "/abs/*.py": globs are relative to the code path; remove the leading "/"',
      '13:30 inUse.code[0].include[1]: path glob "**/*.{py,sh": a "{" is not closed',
      '14:17 inUse.code[0].exclude[0]: path glob "a\\\\b": use "/" to separate directories, not "\\"',
      '15:7 inUse.code[1]: missing required key "path"',
    ])
  })

  it('aws of the wrong shape says the three shapes; options are checked per source', () => {
    expect(brief(issuesOf(withInUse('aws: everything')))).toEqual([
      '3:8 inUse.aws: aws must be "all", a list of sources (batch, ecs, lambda, sagemaker, stepfunctions), or a mapping from source to its options, e.g. {ecs: {taskDefinitionRevisions: 10}, lambda: {}}',
    ])
    expect(brief(issuesOf(withInUse('aws: {ecs: {taskDefinitionRevisions: 0}, lambda: {revisions: 3}, ec2: {}}')))).toEqual([
      '3:40 inUse.aws.ecs.taskDefinitionRevisions: taskDefinitionRevisions must be a positive whole number, e.g. taskDefinitionRevisions: 5',
      '3:53 inUse.aws.lambda: unknown key "revisions"; allowed here: versions',
      '3:68 inUse.aws: unknown key "ec2" (did you mean "ecs"?)',
    ])
    expect(brief(issuesOf(withInUse('aws: []')))).toEqual(['3:8 inUse.aws: list at least one AWS source (batch, ecs, lambda, sagemaker, stepfunctions), or remove "aws"'])
  })

  it('an inUse that names no source is refused: omit it to scan nothing', () => {
    expect(brief(issuesOf('version: 1\ninUse: {maxScanAge: 2d, scans: []}\n'))).toEqual([
      '2:8 inUse: inUse names no source (aws, scans, kubernetes, code); to scan nothing, remove inUse',
    ])
  })

  it('merges the inUse of several files: lists in file order, AWS sources united, options must agree', () => {
    const file = (name: string, text: string) => ({file: `ds/${name}`, hashName: name, bytes: new TextEncoder().encode(text)})
    const state = buildDesiredState(
      [
        file('a.yaml', withInUse('aws: {ecs: {taskDefinitionRevisions: 3}}\ncode: [{path: a}]')),
        file('b.yaml', withInUse('aws: [lambda, ecs]\ncode: [{path: b}]\nmaxScanAge: 2d\nscans: [s.json]')),
      ],
      'ecrctl validate',
    )
    expect(state.inUse?.aws).toMatchObject({source: {file: 'ds/a.yaml'}, sources: ['ecs', 'lambda'], ecs: {taskDefinitionRevisions: 3}, lambda: {versions: 5}})
    expect(state.inUse?.code.map((code) => code.path)).toEqual(['ds/a', 'ds/b'])
    expect(state.inUse?.maxScanAgeMs).toBe(2 * 24 * 3600 * 1000)

    try {
      buildDesiredState([file('a.yaml', withInUse('aws: {ecs: {taskDefinitionRevisions: 3}}')), file('b.yaml', withInUse('aws: {ecs: {taskDefinitionRevisions: 4}}'))], 'ecrctl validate')
      expect.fail('contradicting options must be refused')
    } catch (error) {
      expect(brief((error as DesiredStateError).issues)).toEqual([
        '3:40 inUse.aws.ecs.taskDefinitionRevisions: 4 contradicts 3 set at ds/a.yaml:3:40; files in one desired state must agree',
      ])
    }
  })

  it('loading checks that every path it names exists, at the line that names it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ecrctl-inuse-'))
    mkdirSync(join(root, 'desired-state/scans'), {recursive: true})
    mkdirSync(join(root, 'code'))
    writeFileSync(join(root, 'desired-state/pods.json'), '{}')
    const text = yaml(`
      version: 1
      inUse:
        scans: ["scans/*.json", "missing/*.json", "scans/one.json", "pods.json/*.json"]
        kubernetes:
          - pods: pods.json
          - pods: gone.json
          - pods: scans
        code:
          - path: ../code
          - path: ../nowhere
    `)
    writeFileSync(join(root, 'desired-state/main.yaml'), text)
    try {
      await loadDesiredState('desired-state', {cwd: root})
      expect.fail('missing paths must be refused')
    } catch (error) {
      expect(error).toBeInstanceOf(DesiredStateError)
      expect((error as DesiredStateError).issues.map((issue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.path}: ${issue.message}`)).toEqual([
        'desired-state/main.yaml:3:27: inUse.scans[1]: the scan directory desired-state/missing does not exist (paths are relative to the desired-state file)',
        'desired-state/main.yaml:3:45: inUse.scans[2]: the scan file desired-state/scans/one.json does not exist (paths are relative to the desired-state file)',
        'desired-state/main.yaml:3:63: inUse.scans[3]: the scan directory desired-state/pods.json is not a directory (paths are relative to the desired-state file)',
        'desired-state/main.yaml:6:7: inUse.kubernetes[1]: the kubectl JSON file desired-state/gone.json does not exist (paths are relative to the desired-state file)',
        'desired-state/main.yaml:7:7: inUse.kubernetes[2]: the kubectl JSON file desired-state/scans is not a file (paths are relative to the desired-state file)',
        'desired-state/main.yaml:10:7: inUse.code[1]: the code path nowhere does not exist (paths are relative to the desired-state file)',
      ])
    }
    writeFileSync(join(root, 'desired-state/main.yaml'), withInUse('scans: ["scans/*.json"]\nkubernetes: [{pods: pods.json}]\ncode: [{path: ../code}]'))
    expect((await loadDesiredState('desired-state', {cwd: root})).inUse?.code[0]?.path).toBe('code')
  })
})
