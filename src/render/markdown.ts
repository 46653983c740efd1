/**
 * Markdown for a pull-request comment: the summary sentence and a per-repository table first, then
 * one collapsible <details> section per repository with every image and its reason, and lifecycle
 * changes as ```diff blocks. Digests are shortened but unambiguous within the plan.
 */
import type {DeleteImageAction, KeptImage, PlanDocument} from '../model/plan.js'
import {
  digestShortener,
  formatBytes,
  formatTimestamp,
  maxDeletionsWarning,
  planDigests,
  summarySentence,
} from './format.js'
import {groupByRepository, reasonText, type RepositoryView} from './group.js'
import {lifecycleDiff, lifecycleVerb} from './lifecycle-diff.js'
import {describeLifecycleReport} from './lifecycle-report.js'

export function renderMarkdown(plan: PlanDocument): string {
  const short = digestShortener(planDigests(plan))
  const views = groupByRepository(plan)
  const hasLifecycle = plan.summary.lifecyclePolicyChanges > 0
  const out: string[] = []

  out.push('## ecrctl plan', '', `**${escapeText(summarySentence(plan))}**`, '')
  out.push(
    `Registry \`${plan.registry.accountId}\` in \`${plan.registry.region}\`, evaluated at ${plan.evaluatedAt}. ` +
      'Sizes are compressed and decimal (1 GB = 10^9 bytes), as ECR bills them.',
    '',
  )

  const guard = maxDeletionsWarning(plan)
  if (guard) out.push('> [!WARNING]', `> ${escapeText(guard)}`, '')

  const header = ['repository', 'delete', 'keep', 'freed', ...(hasLifecycle ? ['lifecycle policy'] : [])]
  const align = ['---', '---:', '---:', '---:', ...(hasLifecycle ? ['---'] : [])]
  out.push(tableRow(header), tableRow(align))
  for (const view of views) {
    const bytes = view.deletes.reduce((sum, a) => sum + a.sizeBytes, 0)
    const policy = view.lifecycle.map(lifecycleVerb).join(', ')
    const imagesManaged = view.summary?.imagesManaged !== false
    out.push(
      tableRow([
        code(view.repository),
        imagesManaged ? String(view.deletes.length) : 'not managed',
        imagesManaged ? String(view.kept.length) : '–',
        view.deletes.length > 0 ? formatBytes(bytes) : '–',
        ...(hasLifecycle ? [policy || '–'] : []),
      ]),
    )
  }
  out.push(
    tableRow([
      '**total**',
      `**${plan.summary.imagesDeleted}**`,
      `**${plan.summary.imagesKept}**`,
      `**${formatBytes(plan.summary.bytesDeleted)}**`,
      ...(hasLifecycle ? [`**${plan.summary.lifecyclePolicyChanges}**`] : []),
    ]),
    '',
  )

  const general = plan.warnings.filter((w) => w.repository === undefined)
  if (general.length > 0) {
    out.push('**Warnings**', '', ...general.map((w) => `- ${escapeText(w.message)}`), '')
  }

  if (plan.unmanagedRepositories.length > 0) {
    out.push(`**Unmanaged repositories** (no desired-state entry; never touched): ${plan.unmanagedRepositories.map(code).join(', ')}`, '')
  }

  for (const view of views) out.push(...repositorySection(view, short))
  return `${out.join('\n').trimEnd()}\n`
}

function repositorySection(view: RepositoryView, short: (digest: string) => string): string[] {
  const bytes = view.deletes.reduce((sum, a) => sum + a.sizeBytes, 0)
  const freed = view.deletes.length > 0 ? ` (${formatBytes(bytes)})` : ''
  const policy = view.lifecycle.length > 0 ? `, ${view.lifecycle.map((a) => `${lifecycleVerb(a)} lifecycle policy`).join(', ')}` : ''
  const counts =
    view.summary?.imagesManaged === false ? 'images not managed' : `delete ${view.deletes.length}, keep ${view.kept.length}${freed}`
  const out = [`<details><summary><code>${escapeHtml(view.repository)}</code>: ${counts}${policy}</summary>`, '']

  const images: Array<[string, DeleteImageAction | KeptImage]> = [
    ...view.deletes.map((a): [string, DeleteImageAction] => ['**delete**', a]),
    ...view.kept.map((k): [string, KeptImage] => ['keep', k]),
  ]
  if (images.length > 0) {
    out.push(tableRow(['', 'digest', 'tags', 'pushed (UTC)', 'size', 'reason']), tableRow(['---', '---', '---', '---', '---:', '---']))
    for (const [label, image] of images) {
      out.push(
        tableRow([
          label,
          code(short(image.imageDigest)),
          image.imageTags.length === 0 ? '_untagged_' : image.imageTags.map(code).join(' '),
          formatTimestamp(image.imagePushedAt),
          formatBytes(image.sizeBytes),
          escapeText([reasonText(image), ...('notes' in image ? (image.notes ?? []) : [])].join(' — note: ')),
        ]),
      )
    }
    out.push('')
  } else if (view.summary?.imagesManaged !== false) {
    out.push('No images.', '')
  }

  for (const action of view.lifecycle) {
    out.push(`Lifecycle policy: **${lifecycleVerb(action)}** — ${escapeText(action.reason)}`, '', '```diff', lifecycleDiff(action).trimEnd(), '```', '')
  }
  if (view.lifecycleReport) {
    const words = describeLifecycleReport(view.lifecycleReport, short)
    out.push(escapeText(words.headline), '')
    const items = [...words.actedOnNow, ...words.acceptedConflicts.map((line) => `⚠️ ${line}`)]
    if (items.length > 0) out.push(...items.map((line) => `- ${escapeText(line)}`), '')
  }
  for (const warning of view.warnings) {
    const about = warning.imageDigest ? `${code(short(warning.imageDigest))}: ` : ''
    out.push(`- ⚠️ ${about}${escapeText(warning.message)}`)
  }
  if (view.warnings.length > 0) out.push('')
  out.push('</details>', '')
  return out
}

const tableRow = (cells: string[]) => `| ${cells.join(' | ')} |`

/** Inline code that survives tables: pipes escaped, backticks fenced by a longer run. */
function code(text: string): string {
  const cell = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const fence = cell.includes('`') ? '``' : '`'
  const pad = cell.startsWith('`') || cell.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${cell}${pad}${fence}`
}

/** User-written text (reasons, messages) must not break the table or inject HTML into the comment. */
function escapeText(text: string): string {
  return escapeHtml(text)
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
