/**
 * Markdown for a pull-request comment: the summary sentence and a per-repository table first, then
 * one collapsible <details> section per repository with every image and its reason, and lifecycle
 * changes as ```diff blocks. Digests are shortened but unambiguous within the plan.
 *
 * Text from outside (names, tags, reasons, messages, policies) passes through `code`,
 * `escapeText` or `fenced`, which also neutralise control characters: the markdown is printed to
 * terminals too, and a comment must not carry escape sequences or break out of its table or block.
 */
import {ARCHIVE_MINIMUM_DAYS} from '../model/ecr-facts.js'
import type {PlanDocument} from '../model/plan.js'
import {maxDeletionsWarning, summarySentence} from './format.js'
import {formatBytes} from '../util/bytes.js'
import {UNTAGGED} from '../util/words.js'
import {type ImageRow, repositoryViewModels, type RepositoryViewModel} from './view-model.js'
import {printable, printableLines} from '../util/printable.js'

export function renderMarkdown(plan: PlanDocument): string {
  const views = [...repositoryViewModels(plan)]
  const hasLifecycle = plan.summary.lifecyclePolicyChanges > 0
  const out: string[] = []

  out.push('## ecrctl plan', '', `**${escapeText(summarySentence(plan))}**`, '')
  out.push(
    `Registry ${code(plan.registry.accountId)} in ${code(plan.registry.region)}, evaluated at ${escapeText(plan.evaluatedAt)}. ` +
      'Sizes are compressed and decimal (1 GB = 10^9 bytes), as ECR bills them.',
    '',
  )

  const guard = maxDeletionsWarning(plan)
  if (guard) out.push('> [!WARNING]', `> ${escapeText(guard)}`, '')

  // The unique-bytes column appears when any repository has the figure; "?" marks one that lacks it.
  const hasUnique = plan.summary.repositories.some((r) => r.imagesDeleted > 0 && r.uniqueBytesFreed !== undefined)
  const header = ['repository', 'delete', 'keep', 'sum of image sizes', ...(hasUnique ? ['unique bytes freed'] : []), ...(hasLifecycle ? ['lifecycle policy'] : [])]
  const align = ['---', '---:', '---:', '---:', ...(hasUnique ? ['---:'] : []), ...(hasLifecycle ? ['---'] : [])]
  out.push(tableRow(header), tableRow(align))
  for (const view of views) {
    const {heading} = view
    const policy = view.lifecycle.map((change) => change.verb).join(', ')
    const unique = heading.uniqueBytesFreed
    out.push(
      tableRow([
        code(view.repository),
        heading.imagesManaged ? String(heading.deletes) : 'not managed',
        heading.imagesManaged ? String(heading.kept) : '–',
        heading.deletes > 0 ? formatBytes(heading.bytesDeleted) : '–',
        ...(hasUnique ? [heading.deletes === 0 ? '–' : unique === undefined ? '?' : formatBytes(unique)] : []),
        ...(hasLifecycle ? [policy || '–'] : []),
      ]),
    )
  }
  const totalUnique = plan.summary.uniqueBytesFreed
  out.push(
    tableRow([
      '**total**',
      `**${plan.summary.imagesDeleted}**`,
      `**${plan.summary.imagesKept}**`,
      `**${formatBytes(plan.summary.bytesDeleted)}**`,
      ...(hasUnique ? [totalUnique === undefined ? '?' : `**${formatBytes(totalUnique)}**`] : []),
      ...(hasLifecycle ? [`**${plan.summary.lifecyclePolicyChanges}**`] : []),
    ]),
    '',
  )
  if (hasUnique && totalUnique === undefined) {
    out.push('`?`: unique bytes unknown (not every manifest of the repository was read and parsed); the total and the estimate use the sum of image sizes.', '')
  }

  const general = plan.warnings.filter((w) => w.repository === undefined)
  if (general.length > 0) {
    out.push('**Warnings**', '', ...general.map((w) => `- ${escapeText(w.message)}`), '')
  }

  if (plan.unmanagedRepositories.length > 0) {
    out.push(`**Unmanaged repositories** (no desired-state entry; never touched): ${plan.unmanagedRepositories.map(code).join(', ')}`, '')
  }

  for (const view of views) out.push(...repositorySection(view))
  return `${out.join('\n').trimEnd()}\n`
}

function repositorySection(view: RepositoryViewModel): string[] {
  const {heading} = view
  const freed = heading.freed ? ` (${heading.freed})` : ''
  const policy = view.lifecycle.length > 0 ? `, ${view.lifecycle.map((change) => `${change.verb} lifecycle policy`).join(', ')}` : ''
  const counts = heading.imagesManaged ? `delete ${heading.deletes}, keep ${heading.kept}${freed}` : 'images not managed'
  const out = [`<details><summary><code>${escapeHtml(printable(view.repository))}</code>: ${counts}${policy}</summary>`, '']

  const imageTable = (rows: readonly ImageRow[]) => {
    out.push(tableRow(['', 'digest', 'tags', 'pushed (UTC)', 'size', 'reason']), tableRow(['---', '---', '---', '---', '---:', '---']))
    for (const image of rows) {
      const label = image.action === 'delete' ? '**delete**' : 'keep'
      out.push(
        tableRow([
          image.status ? `${label} ${image.status}` : label,
          code(image.digest),
          image.tags.length === 0 ? escapeText(UNTAGGED) : image.tags.map(code).join(' '),
          image.pushed,
          image.size,
          escapeText([image.reasons, ...image.notes].join(' — note: ')),
        ]),
      )
    }
    out.push('')
  }
  if (view.active.length > 0) imageTable(view.active)
  if (view.archived.rows.length > 0) {
    out.push(
      `**Archived images** (not pullable until restored; ECR bills at least ${ARCHIVE_MINIMUM_DAYS} days in archive): delete ${view.archived.deletes}, keep ${view.archived.kept}`,
      '',
    )
    imageTable(view.archived.rows)
  }
  if (heading.deletes + heading.kept === 0 && heading.imagesManaged) {
    out.push('No images.', '')
  }

  for (const change of view.lifecycle) {
    out.push(`Lifecycle policy: **${change.verb}** — ${escapeText(change.explanation)}`, '', ...fenced('diff', change.diff.trimEnd()), '')
  }
  if (view.lifecycleReport) {
    const words = view.lifecycleReport
    out.push(escapeText(words.headline), '')
    const items = [...words.actedOnNow, ...words.acceptedConflicts.map((line) => `⚠️ ${line}`)]
    if (items.length > 0) out.push(...items.map((line) => `- ${escapeText(line)}`), '')
  }
  for (const warning of view.warnings) {
    const about = warning.about ? `${code(warning.about)}: ` : ''
    out.push(`- ⚠️ ${about}${escapeText(warning.message)}`)
  }
  if (view.warnings.length > 0) out.push('')
  out.push('</details>', '')
  return out
}

const tableRow = (cells: string[]) => `| ${cells.join(' | ')} |`

/** Inline code that survives tables: pipes escaped, backticks fenced by a longer run. */
function code(text: string): string {
  const cell = printable(text.replace(/\r?\n/g, ' ')).replace(/\|/g, '\\|')
  const fence = cell.includes('`') ? '``' : '`'
  const pad = cell.startsWith('`') || cell.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${cell}${pad}${fence}`
}

/** User-written text (reasons, messages) must not break the table or inject HTML into the comment. */
function escapeText(text: string): string {
  return escapeHtml(printable(text.replace(/\r?\n/g, ' '))).replace(/\|/g, '\\|')
}

/** A fenced block whose fence is longer than any run of backticks inside, so the text cannot close it. */
function fenced(language: string, text: string): string[] {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return [`${fence}${language}`, printableLines(text), fence]
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
