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
import type {DeleteImageAction, KeptImage, PlanDocument} from '../model/plan.js'
import {
  formatTimestamp,
  maxDeletionsWarning,
  planDigests,
  summarySentence,
} from './format.js'
import {formatBytes, freedBytesText} from '../util/bytes.js'
import {digestShortener} from '../util/short-digest.js'
import {UNTAGGED} from '../util/words.js'
import {groupByRepository, reasonText, splitArchived, statusMarker, type RepositoryView} from './group.js'
import {lifecycleDiff, lifecycleVerb} from './lifecycle-diff.js'
import {describeLifecycleReport} from './lifecycle-report.js'
import {printable, printableLines} from '../util/printable.js'

export function renderMarkdown(plan: PlanDocument): string {
  const short = digestShortener(planDigests(plan))
  const views = groupByRepository(plan)
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
    const bytes = view.deletes.reduce((sum, a) => sum + a.sizeBytes, 0)
    const policy = view.lifecycle.map(lifecycleVerb).join(', ')
    const imagesManaged = view.summary?.imagesManaged !== false
    const unique = view.summary?.uniqueBytesFreed
    out.push(
      tableRow([
        code(view.repository),
        imagesManaged ? String(view.deletes.length) : 'not managed',
        imagesManaged ? String(view.kept.length) : '–',
        view.deletes.length > 0 ? formatBytes(bytes) : '–',
        ...(hasUnique ? [view.deletes.length === 0 ? '–' : unique === undefined ? '?' : formatBytes(unique)] : []),
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

  for (const view of views) out.push(...repositorySection(view, short))
  return `${out.join('\n').trimEnd()}\n`
}

function repositorySection(view: RepositoryView, short: (digest: string) => string): string[] {
  const bytes = view.deletes.reduce((sum, a) => sum + a.sizeBytes, 0)
  const freed = view.deletes.length > 0 ? ` (${freedBytesText(bytes, view.summary?.uniqueBytesFreed)})` : ''
  const policy = view.lifecycle.length > 0 ? `, ${view.lifecycle.map((a) => `${lifecycleVerb(a)} lifecycle policy`).join(', ')}` : ''
  const counts =
    view.summary?.imagesManaged === false ? 'images not managed' : `delete ${view.deletes.length}, keep ${view.kept.length}${freed}`
  const out = [`<details><summary><code>${escapeHtml(printable(view.repository))}</code>: ${counts}${policy}</summary>`, '']

  const {active, archived} = splitArchived(view)
  const imageTable = (deletes: DeleteImageAction[], kept: KeptImage[]) => {
    const images: Array<[string, DeleteImageAction | KeptImage]> = [
      ...deletes.map((a): [string, DeleteImageAction] => ['**delete**', a]),
      ...kept.map((k): [string, KeptImage] => ['keep', k]),
    ]
    out.push(tableRow(['', 'digest', 'tags', 'pushed (UTC)', 'size', 'reason']), tableRow(['---', '---', '---', '---', '---:', '---']))
    for (const [label, image] of images) {
      const marker = statusMarker(image)
      out.push(
        tableRow([
          marker ? `${label} ${marker}` : label,
          code(short(image.imageDigest)),
          image.imageTags.length === 0 ? escapeText(UNTAGGED) : image.imageTags.map(code).join(' '),
          formatTimestamp(image.imagePushedAt),
          formatBytes(image.sizeBytes),
          escapeText([reasonText(image), ...('notes' in image ? (image.notes ?? []) : [])].join(' — note: ')),
        ]),
      )
    }
    out.push('')
  }
  if (active.deletes.length + active.kept.length > 0) imageTable(active.deletes, active.kept)
  if (archived.deletes.length + archived.kept.length > 0) {
    out.push(
      `**Archived images** (not pullable until restored; ECR bills at least ${ARCHIVE_MINIMUM_DAYS} days in archive): delete ${archived.deletes.length}, keep ${archived.kept.length}`,
      '',
    )
    imageTable(archived.deletes, archived.kept)
  }
  if (view.deletes.length + view.kept.length === 0 && view.summary?.imagesManaged !== false) {
    out.push('No images.', '')
  }

  for (const action of view.lifecycle) {
    out.push(`Lifecycle policy: **${lifecycleVerb(action)}** — ${escapeText(action.reason)}`, '', ...fenced('diff', lifecycleDiff(action).trimEnd()), '')
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
