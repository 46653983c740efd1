/**
 * The default, Terraform-like text rendering of a plan. Example (colour off):
 *
 *   Plan for registry 123456789012 in us-east-1, evaluated at 2025-03-01T00:00:00.000Z.
 *   Times are UTC; sizes are compressed and decimal (1 GB = 10^9 bytes), as ECR bills them.
 *
 *   # spaceport/sfm: delete 2, keep 1 (sum of image sizes 1.3 GB; unique bytes freed 210.0 MB)
 *     - delete  sha256:0123456789ab  20250101-1200  2025-01-01 12:00  500.0 MB  no keep rule matches
 *       keep    sha256:abcdef012345  latest         2025-02-01 08:30  400.0 MB  keep rule spaceport/* keep[0]
 *     archived (not pullable until restored; ECR bills at least 90 days in archive): delete 1, keep 0
 *     - delete  sha256:fedcba987654  20240601-0900  2024-06-01 09:00  800.0 MB  [archived] no keep rule matches
 *                 note: archived 20 days ago: the 90-day minimum archive storage duration is still billed …
 *
 *   Unmanaged repositories (never touched): sagemaker-unzip
 *
 *   Plan: delete 2 images (sum of image sizes 1.3 GB; unique bytes freed 210.0 MB) in 1 repository; keep 1.
 *   Estimated saving ≈ $0.02/month at $0.10/GB-month (estimate, from unique bytes freed).
 *
 * Archived images are listed after the active ones of their repository: they cannot be pulled
 * until restored, and deleting one recently archived still costs the rest of its 90 days.
 *
 * Every text that comes from outside (names, tags, reasons, messages, policies) goes through
 * `printable` before it is placed or painted: the only escape sequences in the output are the
 * colours painted here.
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
import {type DigestShortener, digestShortener} from '../util/short-digest.js'
import {tagsText} from '../util/words.js'
import {groupByRepository, reasonText, splitArchived, statusMarker, type RepositoryView} from './group.js'
import {lifecycleDiff, lifecycleVerb} from './lifecycle-diff.js'
import {describeLifecycleReport} from './lifecycle-report.js'
import {printable} from '../util/printable.js'

export interface TextOptions {
  color: boolean
}

const ANSI = {red: 31, green: 32, yellow: 33, cyan: 36, bold: 1} as const
type Style = keyof typeof ANSI

/** Tags longer than this stop the column alignment rather than being cut: a hidden tag is worse. */
const MAX_TAG_COLUMN = 40

export function renderText(plan: PlanDocument, options: TextOptions): string {
  return [...renderTextPieces(plan, options)].join('')
}

/**
 * renderText in pieces (one per repository), so a plan of a million images is written to stdout
 * as it is rendered instead of as one string of 150 MB.
 */
export function* renderTextPieces(plan: PlanDocument, options: TextOptions): Generator<string> {
  const paint = (style: Style, text: string) => (options.color ? `\u001B[${ANSI[style]}m${text}\u001B[0m` : text)
  const short = digestShortener(planDigests(plan))

  yield [
    printable(`Plan for registry ${plan.registry.accountId} in ${plan.registry.region}, evaluated at ${plan.evaluatedAt}.`),
    'Times are UTC; sizes are compressed and decimal (1 GB = 10^9 bytes), as ECR bills them.',
    '',
    '',
  ].join('\n')

  for (const view of groupByRepository(plan)) {
    yield `${renderRepository(view, short, paint).join('\n')}\n\n`
  }

  const out: string[] = []
  const general = plan.warnings.filter((w) => w.repository === undefined)
  if (general.length > 0) {
    out.push(paint('yellow', 'Warnings:'))
    for (const warning of general) out.push(`  ${paint('yellow', '!')} ${printable(warning.message)}`)
    out.push('')
  }

  if (plan.unmanagedRepositories.length > 0) {
    out.push(
      ...wrap(`Unmanaged repositories (no desired-state entry; never touched): ${plan.unmanagedRepositories.map(printable).join(', ')}`, 100),
      '',
    )
  }

  out.push(paint('bold', summarySentence(plan)))
  const guard = maxDeletionsWarning(plan)
  if (guard) out.push(paint('yellow', `Warning: ${guard}`))
  yield `${out.join('\n')}\n`
}

function renderRepository(
  view: RepositoryView,
  short: DigestShortener,
  paint: (style: Style, text: string) => string,
): string[] {
  const lines: string[] = []
  const repository = printable(view.repository)
  const bytes = view.deletes.reduce((sum, a) => sum + a.sizeBytes, 0)
  const freed = view.deletes.length > 0 ? ` (${freedBytesText(bytes, view.summary?.uniqueBytesFreed)})` : ''
  if (view.summary?.imagesManaged === false) {
    lines.push(paint('bold', `# ${repository}: images not managed (only its lifecycle policy is)`))
  } else {
    const empty = view.deletes.length === 0 && view.kept.length === 0 ? ' (no images)' : ''
    lines.push(paint('bold', `# ${repository}: delete ${view.deletes.length}, keep ${view.kept.length}${freed}${empty}`))
  }

  // each image's cells once: the column widths need them too (a million images)
  const cells = new Map<DeleteImageAction | KeptImage, {digest: string; tags: string; size: string}>()
  let tagWidth = 0
  let sizeWidth = 0
  let digestWidth = 0
  for (const image of [...view.deletes, ...view.kept]) {
    const cell = {digest: printable(short.known(image.imageDigest)), tags: printable(tagsText(image.imageTags)), size: formatBytes(image.sizeBytes)}
    cells.set(image, cell)
    tagWidth = Math.max(tagWidth, Math.min(MAX_TAG_COLUMN, cell.tags.length))
    sizeWidth = Math.max(sizeWidth, cell.size.length)
    digestWidth = Math.max(digestWidth, cell.digest.length)
  }
  const row = (image: DeleteImageAction | KeptImage) => {
    const cell = cells.get(image)!
    const marker = statusMarker(image)
    const reason = printable(reasonText(image))
    const last = marker && reason ? `${marker} ${reason}` : marker || reason
    return `${cell.digest.padEnd(digestWidth)}  ${cell.tags.padEnd(tagWidth)}  ${formatTimestamp(image.imagePushedAt)}  ${cell.size.padStart(sizeWidth)}  ${last}`
  }
  const rows = (deletes: DeleteImageAction[], kept: KeptImage[]) => {
    for (const action of deletes) {
      lines.push(paint('red', `  - delete  ${row(action)}`))
      for (const note of action.notes ?? []) lines.push(`              note: ${printable(note)}`)
    }
    for (const image of kept) lines.push(`    keep    ${row(image)}`)
  }

  const {active, archived} = splitArchived(view)
  rows(active.deletes, active.kept)
  if (archived.deletes.length + archived.kept.length > 0) {
    lines.push(
      `  archived (not pullable until restored; ECR bills at least ${ARCHIVE_MINIMUM_DAYS} days in archive): delete ${archived.deletes.length}, keep ${archived.kept.length}`,
    )
    rows(archived.deletes, archived.kept)
  }

  for (const action of view.lifecycle) {
    const verb = lifecycleVerb(action)
    const marker = verb === 'delete' ? paint('red', '-') : verb === 'create' ? paint('green', '+') : paint('yellow', '~')
    lines.push(`  ${marker} ${verb} lifecycle policy: ${printable(action.reason)}`)
    for (const line of lifecycleDiff(action).trimEnd().split('\n').map(printable)) {
      const style: Style | undefined = line.startsWith('@@')
        ? 'cyan'
        : line.startsWith('+') && !line.startsWith('+++')
          ? 'green'
          : line.startsWith('-') && !line.startsWith('---')
            ? 'red'
            : undefined
      lines.push(`      ${style ? paint(style, line) : line}`)
    }
  }

  if (view.lifecycleReport) {
    const words = describeLifecycleReport(view.lifecycleReport, short)
    lines.push(`    ${printable(words.headline)}`)
    for (const line of words.actedOnNow) lines.push(`      ${printable(line)}`)
    for (const line of words.acceptedConflicts) lines.push(`  ${paint('yellow', '!')} ${printable(line)}`)
  }

  for (const warning of view.warnings) {
    const about = warning.imageDigest ? `${short(warning.imageDigest)}: ` : ''
    lines.push(`  ${paint('yellow', '!')} ${printable(`${about}${warning.message}`)}`)
  }
  return lines
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let current = ''
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current)
      current = `  ${word}`
    } else {
      current = current ? `${current} ${word}` : word
    }
  }
  if (current) lines.push(current)
  return lines
}
