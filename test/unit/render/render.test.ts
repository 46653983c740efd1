import {describe, expect, it} from 'vitest'
import type {PlanDocument} from '../../../src/model/plan.js'
import {sealPlan, serializePlan} from '../../../src/planfile/seal.js'
import {renderPlan} from '../../../src/render/index.js'
import {renderJson} from '../../../src/render/json.js'
import {renderMarkdown} from '../../../src/render/markdown.js'
import {renderText} from '../../../src/render/text.js'
import {buildPlan, deleteImage, keptImage} from '../planfile/plan-builders.js'

const ESC = '\u001B['
const SHARED = 'sha256:0123456789abcdef'

function samplePlan(extra: Parameters<typeof buildPlan>[0] = {}): PlanDocument {
  return sealPlan(
    buildPlan({
      actions: [
        deleteImage({repository: 'spaceport/sfm', digest: `${SHARED}1${'a'.repeat(47)}`, tags: ['20250101-1200'], sizeBytes: 512_345_678}),
        deleteImage({
          repository: 'spaceport/sfm',
          tags: [],
          pushedAt: '2024-12-01T00:00:00.000Z',
          sizeBytes: 1_234_567_890,
        }),
        deleteImage({repository: 'spaceport-ml-sogs-compressor', tags: ['v1', 'latest'], sizeBytes: 98_000_000}),
      ],
      kept: [
        keptImage({
          repository: 'spaceport/sfm',
          digest: `${SHARED}2${'b'.repeat(47)}`,
          tags: ['real-colmap-fixed-final'],
          reasons: [{code: 'keepRule', entry: 'spaceport/sfm', index: 0, reason: 'production | used by <Lambda>', rule: 'spaceport/sfm keep[0]'}],
        }),
        keptImage({repository: 'spaceport/sfm', tags: ['latest'], pushedAt: '2025-02-28T20:00:00.000Z', reasons: [{code: 'gracePeriod', gracePeriodMs: 86_400_000}]}),
      ],
      unmanaged: ['sagemaker-unzip'],
      ...extra,
    }),
  )
}

const emptyPlan = () =>
  sealPlan(buildPlan({kept: [keptImage({repository: 'spaceport/sfm', tags: ['latest']})], unmanaged: ['other']}))

describe('renderText', () => {
  it('groups by repository with delete lines, kept images and their reasons, and ends with the summary', () => {
    const text = renderText(samplePlan(), {color: false})
    const lines = text.split('\n')
    expect(text).not.toContain(ESC)
    expect(lines).toContain('# spaceport/sfm: delete 2, keep 2 (sum of image sizes 1.7 GB)')
    expect(lines).toContain('# spaceport-ml-sogs-compressor: delete 1, keep 0 (sum of image sizes 98.0 MB)')
    expect(text).toMatch(/^ {2}- delete {2}sha256:0123456789abcdef1 {2}20250101-1200 +2025-01-01 12:00 {2}512\.3 MB {2}no keep rule matches; pushed 2025-01-01 \(58 days ago\)$/m)
    expect(text).toMatch(/^ {2}- delete {2}sha256:[0-9a-f]{12} {7}<untagged> +2024-12-01 00:00 {4}1\.2 GB {2}no keep rule matches; pushed 2024-12-01 \(90 days ago\)$/m)
    expect(text).toMatch(/^ {4}keep {4}sha256:[0-9a-f]{12} +latest +2025-02-28 20:00 +400\.0 MB {2}pushed 4 hours ago, within the 1d grace period$/m)
    expect(text).toMatch(/^ {4}keep {4}sha256:0123456789abcdef2 {2}real-colmap-fixed-final {2}2025-02-01 08:30 {2}400\.0 MB {2}keep rule spaceport\/sfm keep\[0\]: production \| used by <Lambda>$/m)
    expect(text).toMatch(/^ {2}- delete {2}sha256:[0-9a-f]{12} {2}latest, v1 {2}/m)
    expect(text).toContain('Unmanaged repositories (no desired-state entry; never touched): sagemaker-unzip')
    expect(lines.at(-2)).toBe(
      'Plan: delete 3 images (sum of image sizes 1.8 GB) in 2 repositories; keep 2. Estimated saving ≈ $0.18/month at $0.10/GB-month (estimate, from the sum of image sizes, which overstates shared layers; unique bytes need every manifest read).',
    )
  })

  it('lists the newest image first within a repository', () => {
    const text = renderText(samplePlan(), {color: false})
    expect(text.indexOf('20250101-1200')).toBeLessThan(text.indexOf('<untagged>'))
  })

  it('colours delete lines red only when asked', () => {
    const text = renderText(samplePlan(), {color: true})
    expect(text).toMatch(new RegExp(`\\u001B\\[31m {2}- delete {2}sha256:0123456789abcdef1.*\\u001B\\[0m`))
    expect(text.split('\n').find((l) => l.includes('keep    '))).not.toContain(ESC)
  })

  it('says "No changes." when there is nothing to do', () => {
    const text = renderText(emptyPlan(), {color: false})
    expect(text.trimEnd().split('\n').at(-1)).toBe('No changes. Nothing to delete; keeping 1 image in 1 managed repository.')
    expect(text).not.toContain('- delete')
  })

  it('warns when the plan exceeds maxDeletions, and not otherwise', () => {
    expect(renderText(samplePlan({maxDeletions: 2}), {color: false})).toContain(
      'Warning: This plan deletes 3 images, more than maxDeletions (2) of the desired state; apply will refuse it.',
    )
    expect(renderText(samplePlan({maxDeletions: 3}), {color: false})).not.toContain('maxDeletions')
  })

  it('shows plan warnings with the repository they belong to', () => {
    const text = renderText(
      samplePlan({warnings: [{message: 'registry-wide note'}, {repository: 'spaceport/sfm', message: 'manifest unreadable'}]}),
      {color: false},
    )
    expect(text).toContain('Warnings:\n  ! registry-wide note')
    const sfm = text.slice(text.indexOf('# spaceport/sfm'))
    expect(sfm.slice(0, sfm.indexOf('\n\n'))).toContain('  ! manifest unreadable')
  })

  it('does not modify the plan it renders', () => {
    const plan = samplePlan()
    const before = serializePlan(plan)
    renderText(plan, {color: true})
    renderMarkdown(plan)
    expect(serializePlan(plan)).toBe(before)
  })
})

describe('renderMarkdown', () => {
  it('starts with the summary and a per-repository table, then one collapsible section per repository', () => {
    const md = renderMarkdown(samplePlan())
    const table = [
      '| repository | delete | keep | sum of image sizes |',
      '| --- | ---: | ---: | ---: |',
      '| `spaceport-ml-sogs-compressor` | 1 | 0 | 98.0 MB |',
      '| `spaceport/sfm` | 2 | 2 | 1.7 GB |',
      '| **total** | **3** | **2** | **1.8 GB** |',
    ].join('\n')
    expect(md).toContain(table)
    expect(md.indexOf(table)).toBeLessThan(md.indexOf('<details>'))
    expect(md.match(/<details><summary>/g)).toHaveLength(2)
    expect(md.match(/<\/details>/g)).toHaveLength(2)
    expect(md).toContain('<details><summary><code>spaceport/sfm</code>: delete 2, keep 2 (sum of image sizes 1.7 GB)</summary>\n\n|')
    expect(md).toContain('**Plan: delete 3 images (sum of image sizes 1.8 GB) in 2 repositories; keep 2. Estimated saving ≈ $0.18/month')
  })

  it('shortens digests to the shortest unambiguous prefix of at least 12 hex characters', () => {
    const md = renderMarkdown(samplePlan())
    expect(md).toContain('`sha256:0123456789abcdef1`')
    expect(md).toContain('`sha256:0123456789abcdef2`')
    const others = [...md.matchAll(/`(sha256:[0-9a-f]+)`/g)].map((m) => m[1]!).filter((d) => !d.startsWith(SHARED))
    expect(others.length).toBeGreaterThan(0)
    for (const digest of others) expect(digest).toHaveLength('sha256:'.length + 12)
  })

  it('escapes user text so it cannot break a table or inject HTML', () => {
    const md = renderMarkdown(samplePlan())
    expect(md).toContain('production \\| used by &lt;Lambda&gt;')
    expect(md).not.toContain('<Lambda>')
  })

  it('says "No changes." when there is nothing to do', () => {
    expect(renderMarkdown(emptyPlan())).toContain('**No changes.')
  })
})

describe('lifecycle actions', () => {
  const before = '{"rules":[{"action":{"type":"expire"},"rulePriority":1,"selection":{"countNumber":10,"countType":"imageCountMoreThan","tagStatus":"any"}}]}'
  const after =
    '{"rules":[{"action":{"type":"expire"},"rulePriority":1,"selection":{"countNumber":9999,"countType":"imageCountMoreThan","tagPatternList":["real-*"],"tagStatus":"tagged"}},{"action":{"type":"expire"},"rulePriority":2,"selection":{"countNumber":10,"countType":"imageCountMoreThan","tagStatus":"any"}}]}'
  const lifecyclePlan = () =>
    sealPlan(
      buildPlan({
        actions: [
          {type: 'putLifecyclePolicy', repository: 'spaceport/sfm', before, after, declaredBy: {entry: 'spaceport/*', file: 'desired-state/spaceport.yaml', line: 12}},
          {type: 'putLifecyclePolicy', repository: 'spaceport/3dgs', before: null, after: before, declaredBy: {entry: 'spaceport/3dgs', file: 'desired-state/spaceport.yaml', line: 30}},
          {type: 'deleteLifecyclePolicy', repository: 'sagemaker-unzip', before, declaredBy: {entry: 'sagemaker-*', file: 'desired-state/ml.yaml', line: 2}},
        ],
      }),
    )

  it('renders an update as a unified diff of the pretty-printed policies, in ECR’s key order', () => {
    const text = renderText(lifecyclePlan(), {color: false})
    expect(text).toContain('  ~ update lifecycle policy: lifecycle policy declared by desired-state entry "spaceport/*" (desired-state/spaceport.yaml:12) differs from the live one')
    expect(text).toContain('      --- spaceport/sfm (live)\n      +++ spaceport/sfm (desired)\n      @@ -1,15 +1,29 @@')
    expect(text).toContain('      +        "tagPatternList": [\n      +          "real-*"\n      +        ],')
    expect(text).toMatch(/"rulePriority": 1,\n.*"selection": \{\n.*"tagStatus"/)
    expect(text).toContain(
      'Plan: change 3 lifecycle policies; keep 0.',
    )
  })

  it('renders a new policy as only additions and a deleted one as only removals', () => {
    const text = renderText(lifecyclePlan(), {color: false})
    const section = (repo: string) => {
      const start = text.indexOf(`# ${repo}:`)
      return text.slice(start, text.indexOf('\n\n', start))
    }
    const created = section('spaceport/3dgs').split('\n').filter((l) => /^ {6}[-+ ]/.test(l) && !/^ {6}(---|\+\+\+)/.test(l))
    expect(section('spaceport/3dgs')).toContain('  + create lifecycle policy: lifecycle policy declared by desired-state entry "spaceport/3dgs" (desired-state/spaceport.yaml:30); the repository has none')
    expect(created.length).toBeGreaterThan(5)
    expect(created.every((l) => l.startsWith('      +'))).toBe(true)
    const deleted = section('sagemaker-unzip').split('\n').filter((l) => /^ {6}[-+ ]/.test(l) && !/^ {6}(---|\+\+\+)/.test(l))
    expect(section('sagemaker-unzip')).toContain('  - delete lifecycle policy: lifecycle: none declared by desired-state entry "sagemaker-*" (desired-state/ml.yaml:2)')
    expect(deleted.every((l) => l.startsWith('      -'))).toBe(true)
  })

  it('puts the diff in a ```diff block in markdown and adds a lifecycle column to the table', () => {
    const md = renderMarkdown(lifecyclePlan())
    expect(md).toContain('| repository | delete | keep | sum of image sizes | lifecycle policy |')
    expect(md).toContain('| `spaceport/sfm` | 0 | 0 | – | update |')
    expect(md).toMatch(/```diff\n--- spaceport\/sfm \(live\)\n\+\+\+ spaceport\/sfm \(desired\)\n@@[^\n]*\n[\s\S]*?\n```/)
  })

  it('colours diff lines when asked', () => {
    const text = renderText(lifecyclePlan(), {color: true})
    expect(text).toContain(`${ESC}32m+        "tagPatternList": [${ESC}0m`)
  })
})

describe('renderJson / renderPlan', () => {
  it('is the plan file itself', () => {
    const plan = samplePlan()
    expect(renderJson(plan)).toBe(serializePlan(plan))
    expect(renderPlan(plan, 'json', {color: true})).toBe(serializePlan(plan))
    expect(renderPlan(plan, 'markdown', {color: true})).toBe(renderMarkdown(plan))
    expect(renderPlan(plan, 'text', {color: false})).toBe(renderText(plan, {color: false}))
  })
})

describe('optional plan facts', () => {
  it('says when a repository’s images are not managed (lifecycle-only entry)', () => {
    const plan = buildPlan({
      actions: [{type: 'putLifecyclePolicy', repository: 'team/policy-only', before: null, after: '{"rules":[]}', declaredBy: {entry: 'team/policy-*', file: 'd.yaml', line: 1}}],
    })
    plan.summary.repositories[0]!.imagesManaged = false
    const sealed = sealPlan(plan)
    expect(renderText(sealed, {color: false})).toContain('# team/policy-only: images not managed (only its lifecycle policy is)')
    const md = renderMarkdown(sealed)
    expect(md).toContain('| `team/policy-only` | not managed | – | – | create |')
    expect(md).toContain('<code>team/policy-only</code>: images not managed, create lifecycle policy</summary>')
    expect(md).not.toContain('No images.')
  })

  it('shows an action’s notes under it', () => {
    const action = deleteImage({repository: 'r', tags: ['old']})
    action.notes = ['archived 12 days ago: the 90-day minimum is billed anyway']
    const plan = sealPlan(buildPlan({actions: [action]}))
    expect(renderText(plan, {color: false})).toContain('\n              note: archived 12 days ago: the 90-day minimum is billed anyway\n')
    expect(renderMarkdown(plan)).toContain('no keep rule matches; pushed 2025-01-01 (58 days ago) — note: archived 12 days ago')
  })

  it('names the unique-bytes basis of the estimate when the plan used it', () => {
    const plan = buildPlan({actions: [deleteImage({repository: 'r', tags: ['a'], sizeBytes: 2_000_000_000})]})
    plan.summary.uniqueBytesFreed = 500_000_000
    plan.summary.estimateBasis = 'uniqueBytes'
    plan.summary.estimatedMonthlySavingsUsd = 0.05
    expect(renderText(sealPlan(plan), {color: false})).toContain(
      'Plan: delete 1 image (sum of image sizes 2.0 GB; unique bytes freed 500.0 MB) in 1 repository; keep 0. Estimated saving ≈ $0.05/month at $0.10/GB-month (estimate, from unique bytes freed).',
    )
  })
})

describe('unique bytes freed', () => {
  /** Two repositories: one whose manifests were all read (unique bytes known), one not. */
  function mixedPlan() {
    const plan = buildPlan({
      actions: [
        deleteImage({repository: 'read', tags: ['a'], sizeBytes: 2_000_000_000}),
        deleteImage({repository: 'unread', tags: ['b'], sizeBytes: 1_000_000_000}),
      ],
      kept: [keptImage({repository: 'read', tags: ['c']})],
    })
    plan.summary.repositories.find((r) => r.repository === 'read')!.uniqueBytesFreed = 300_000_000
    return plan
  }

  it('shows both figures per repository when unique bytes are known, and only the sum otherwise', () => {
    const text = renderText(sealPlan(mixedPlan()), {color: false})
    expect(text).toContain('# read: delete 1, keep 1 (sum of image sizes 2.0 GB; unique bytes freed 300.0 MB)\n')
    expect(text).toContain('# unread: delete 1, keep 0 (sum of image sizes 1.0 GB)\n')
    // The plan-wide figure is unknown (one repository lacks it), so the estimate says it used the sum.
    expect(text).toContain('(sum of image sizes 3.0 GB) in 2 repositories')
    expect(text).toContain('(estimate, from the sum of image sizes, which overstates shared layers')
  })

  it('adds a unique-bytes column to the markdown table, with "?" where it is unknown', () => {
    const md = renderMarkdown(sealPlan(mixedPlan()))
    expect(md).toContain(
      [
        '| repository | delete | keep | sum of image sizes | unique bytes freed |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| `read` | 1 | 1 | 2.0 GB | 300.0 MB |',
        '| `unread` | 1 | 0 | 1.0 GB | ? |',
        '| **total** | **2** | **1** | **3.0 GB** | ? |',
      ].join('\n'),
    )
    expect(md).toContain('`?`: unique bytes unknown')
  })

  it('has no unique-bytes column when no repository has the figure', () => {
    expect(renderMarkdown(samplePlan())).not.toContain('unique bytes freed')
  })
})

describe('archived images', () => {
  function archivedPlan() {
    const oldArchived = deleteImage({repository: 'ml/train', tags: ['2024-06'], pushedAt: '2024-06-01T08:00:00.000Z'})
    oldArchived.status = 'ARCHIVED'
    oldArchived.notes = ['archived 20 days ago: the 90-day minimum archive storage duration is still billed']
    const active = deleteImage({repository: 'ml/train', tags: ['2024-07'], pushedAt: '2024-07-01T08:00:00.000Z'})
    const keptArchived = keptImage({repository: 'ml/train', tags: ['pinned'], pushedAt: '2024-05-01T08:00:00.000Z'})
    keptArchived.status = 'ARCHIVED'
    const restoring = keptImage({repository: 'ml/train', tags: ['restoring'], pushedAt: '2024-04-01T08:00:00.000Z'})
    restoring.status = 'ACTIVATING'
    const latest = keptImage({repository: 'ml/train', tags: ['latest']})
    return sealPlan(buildPlan({actions: [oldArchived, active], kept: [keptArchived, restoring, latest]}))
  }

  it('lists archived images in their own subsection of the repository, marked, with the 90-day note', () => {
    const lines = renderText(archivedPlan(), {color: false}).split('\n')
    const header = lines.findIndex((l) => l.startsWith('  archived (not pullable until restored'))
    expect(header).toBeGreaterThan(0)
    expect(lines[header]).toMatch(/: delete 1, keep 1$/)
    const before = lines.slice(0, header).join('\n')
    const after = lines.slice(header + 1, header + 4)
    // Active images (and one being restored, marked as such) come first.
    expect(before).toMatch(/- delete {2}sha256:\w+ {2}2024-07 /)
    expect(before).toMatch(/keep {4}sha256:\w+ {2}latest /)
    expect(before).toMatch(/keep {4}sha256:\w+ {2}restoring .*\[restoring from archive\] keep rule ml\/train keep\[0\]$/m)
    expect(before).not.toContain('[archived]')
    expect(after[0]).toMatch(/^ {2}- delete {2}sha256:\w+ {2}2024-06 .* {2}\[archived\] no keep rule matches; pushed 2024-06-01 \(\d+ days ago\)$/)
    expect(after[1]).toBe('              note: archived 20 days ago: the 90-day minimum archive storage duration is still billed')
    expect(after[2]).toMatch(/^ {4}keep {4}sha256:\w+ {2}pinned .* {2}\[archived\] keep rule ml\/train keep\[0\]$/)
  })

  it('puts archived images in a separate markdown table after the active ones', () => {
    const md = renderMarkdown(archivedPlan())
    const section = md.slice(md.indexOf('<details>'))
    const archivedAt = section.indexOf('**Archived images** (not pullable until restored')
    expect(archivedAt).toBeGreaterThan(0)
    expect(section.slice(0, archivedAt)).toContain('`2024-07`')
    expect(section.slice(0, archivedAt)).not.toContain('[archived]')
    const archivedPart = section.slice(archivedAt)
    expect(archivedPart).toMatch(/\| \*\*delete\*\* \[archived\] \| `sha256:\w+` \| `2024-06` \|.*— note: archived 20 days ago/)
    expect(archivedPart).toMatch(/\| keep \[archived\] \| `sha256:\w+` \| `pinned` \|/)
    expect(archivedPart).not.toContain('`latest`')
  })

  it('adds no archived subsection when nothing is archived', () => {
    expect(renderText(samplePlan(), {color: false})).not.toContain('archived')
    expect(renderMarkdown(samplePlan())).not.toContain('Archived images')
  })
})

describe('lifecycle report (display only)', () => {
  it('says what the policy does to kept images, how many are close, and the accepted conflicts', () => {
    const kept = keptImage({repository: 'spaceport/sfm', tags: ['real-colmap-fixed-final']})
    const plan = buildPlan({kept: [kept]})
    plan.lifecycle = [
      {
        repository: 'spaceport/sfm',
        policy: 'desired',
        actedOnNow: [{imageDigest: kept.imageDigest, imageTags: kept.imageTags, rulePriority: 2, action: 'transition'}],
        withinPushes: 3,
        withinDays: 1,
        pushWindow: 10,
        dayWindow: 7,
        acceptedConflicts: [
          {
            rulePriority: 5,
            imageDigest: kept.imageDigest,
            imageTags: kept.imageTags,
            keptBecause: [{code: 'keepRule', entry: 'spaceport/sfm', index: 0, rule: 'spaceport/sfm keep[0]'}],
            when: {kind: 'afterPushes', pushes: 3},
            whenText: 'once 3 newer images are pushed',
            acceptedBy: 'real-*',
          },
        ],
      },
    ]
    const sealed = sealPlan(plan)
    const short = kept.imageDigest.slice(0, 'sha256:'.length + 12)
    const text = renderText(sealed, {color: false})
    expect(text).toContain('    The desired lifecycle policy acts on 1 kept image now; 3 more within the next 10 pushes, 1 within 7 days.\n')
    expect(text).toContain(`      rule 2 would transition ${short} (real-colmap-fixed-final)\n`)
    expect(text).toContain(
      `  ! accepted conflict: rule 5 would expire ${short} (real-colmap-fixed-final) once 3 newer images are pushed, though it is kept (keep rule spaceport/sfm keep[0]); accepted by "real-*"\n`,
    )
    const md = renderMarkdown(sealed)
    expect(md).toContain('The desired lifecycle policy acts on 1 kept image now; 3 more within the next 10 pushes, 1 within 7 days.')
    expect(md).toContain(`- ⚠️ accepted conflict: rule 5 would expire ${short}`)
  })
})
