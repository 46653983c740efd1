/**
 * `ecrctl scan --format text`: a scan as the seed report's production table (image, used by,
 * where), one section per ECR registry the references name, then the references matched by
 * repository name alone. Works from the scan document only; every cell is made printable.
 */
import type {ImageReference, InUseSource, ScanDocument} from '../model/in-use.js'
import {printable} from '../util/printable.js'
import {shortDigest} from '../util/short-digest.js'
import {plural} from '../util/words.js'

const SOURCE_NAMES: Record<InUseSource, string> = {
  ecs: 'ECS',
  lambda: 'Lambda',
  sagemaker: 'SageMaker',
  batch: 'Batch',
  stepfunctions: 'Step Functions',
  kubernetes: 'Kubernetes',
  code: 'code',
  scan: 'scan',
}
const HEADER = ['IMAGE', 'USED BY', 'WHERE'] as const

/** `spaceport/sfm:v1`, `spaceport/sfm@sha256:0123456789ab`, `spaceport/sfm:v1@sha256:…`. */
export function imageText(reference: Pick<ImageReference, 'repository' | 'tag' | 'digest'>): string {
  return `${reference.repository}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest !== undefined ? `@${shortDigest(reference.digest)}` : ''}`
}

export function renderScanTable(document: ScanDocument): string {
  const {scope, references} = document
  const where = [scope.accountId && `account ${scope.accountId}`, scope.region, scope.cluster && `Kubernetes context ${scope.cluster}`].filter(Boolean).join(', ')
  const images = new Set(references.map((reference) => `${registryKey(reference)} ${imageText(reference)}`))
  const lines = [
    `Scan of ${where || 'local sources'} (${scope.sources.join(', ') || 'no sources'}) at ${document.scannedAt}: ` +
      `${plural(references.length, 'reference')} to ${plural(images.size, 'image')}.`,
  ]
  if (references.length === 0) return `${lines[0]}\nNo image references found.\n`

  // References come sorted: those naming no registry first, then by registry, repository, tag, digest.
  const sections = new Map<string, ImageReference[]>()
  for (const reference of references) {
    const key = registryKey(reference)
    sections.set(key, [...(sections.get(key) ?? []), reference])
  }
  for (const [key, section] of sections) {
    const registry = section[0]!.registry
    lines.push(
      '',
      registry
        ? `Registry ${registry.accountId} in ${registry.region} (${key}):`
        : 'Matched by repository name (no registry named: they count for the registry a plan reads this scan for):',
    )
    lines.push(...table(section))
  }
  return `${lines.join('\n')}\n`
}

function registryKey(reference: ImageReference): string {
  return reference.registry ? `${reference.registry.accountId}.dkr.ecr.${reference.registry.region}.amazonaws.com` : ''
}

/** Aligned rows; an image is named on its first row only, as the seed report lists each image once. */
function table(references: readonly ImageReference[]): string[] {
  const rows: string[][] = []
  let previous: string | undefined
  for (const reference of references) {
    const image = printable(imageText(reference))
    rows.push([image === previous ? '' : image, printable(`${SOURCE_NAMES[reference.evidence.source]} ${reference.evidence.resource}`), printable(reference.evidence.field)])
    previous = image
  }
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()
  return [line(HEADER), ...rows.map(line)]
}
