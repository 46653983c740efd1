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
import type {PlanDocument} from '../model/plan.js'
import {maxDeletionsWarning, summarySentence} from './format.js'
import {tagsText} from '../util/words.js'
import {type ImageRow, repositoryViewModels, type RepositoryViewModel} from './view-model.js'
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

  yield [
    printable(`Plan for registry ${plan.registry.accountId} in ${plan.registry.region}, evaluated at ${plan.evaluatedAt}.`),
    'Times are UTC; sizes are compressed and decimal (1 GB = 10^9 bytes), as ECR bills them.',
    '',
    '',
  ].join('\n')

  for (const view of repositoryViewModels(plan)) {
    yield `${renderRepository(view, paint).join('\n')}\n\n`
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

function renderRepository(view: RepositoryViewModel, paint: (style: Style, text: string) => string): string[] {
  const lines: string[] = []
  const repository = printable(view.repository)
  const {heading} = view
  if (!heading.imagesManaged) {
    lines.push(paint('bold', `# ${repository}: images not managed (only its lifecycle policy is)`))
  } else {
    const freed = heading.freed ? ` (${heading.freed})` : ''
    const empty = heading.deletes === 0 && heading.kept === 0 ? ' (no images)' : ''
    lines.push(paint('bold', `# ${repository}: delete ${heading.deletes}, keep ${heading.kept}${freed}${empty}`))
  }

  // each image's cells once: the column widths need them too (a million images)
  const all = [...view.active, ...view.archived.rows]
  const cells = new Map<ImageRow, {digest: string; tags: string}>()
  let tagWidth = 0
  let sizeWidth = 0
  let digestWidth = 0
  for (const image of all) {
    const cell = {digest: printable(image.digest), tags: printable(tagsText(image.tags))}
    cells.set(image, cell)
    tagWidth = Math.max(tagWidth, Math.min(MAX_TAG_COLUMN, cell.tags.length))
    sizeWidth = Math.max(sizeWidth, image.size.length)
    digestWidth = Math.max(digestWidth, cell.digest.length)
  }
  const row = (image: ImageRow) => {
    const cell = cells.get(image)!
    const reason = printable(image.reasons)
    const last = image.status && reason ? `${image.status} ${reason}` : image.status || reason
    return `${cell.digest.padEnd(digestWidth)}  ${cell.tags.padEnd(tagWidth)}  ${image.pushed}  ${image.size.padStart(sizeWidth)}  ${last}`
  }
  const rows = (images: readonly ImageRow[]) => {
    for (const image of images) {
      if (image.action === 'delete') {
        lines.push(paint('red', `  - delete  ${row(image)}`))
        for (const note of image.notes) lines.push(`              note: ${printable(note)}`)
      } else lines.push(`    keep    ${row(image)}`)
    }
  }

  rows(view.active)
  if (view.archived.rows.length > 0) {
    lines.push(
      `  archived (not pullable until restored; ECR bills at least ${ARCHIVE_MINIMUM_DAYS} days in archive): delete ${view.archived.deletes}, keep ${view.archived.kept}`,
    )
    rows(view.archived.rows)
  }

  for (const change of view.lifecycle) {
    const marker = change.verb === 'delete' ? paint('red', '-') : change.verb === 'create' ? paint('green', '+') : paint('yellow', '~')
    lines.push(`  ${marker} ${change.verb} lifecycle policy: ${printable(change.explanation)}`)
    for (const line of change.diff.trimEnd().split('\n').map(printable)) {
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
    const words = view.lifecycleReport
    lines.push(`    ${printable(words.headline)}`)
    for (const line of words.actedOnNow) lines.push(`      ${printable(line)}`)
    for (const line of words.acceptedConflicts) lines.push(`  ${paint('yellow', '!')} ${printable(line)}`)
  }

  for (const warning of view.warnings) {
    const about = warning.about ? `${warning.about}: ` : ''
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
