/**
 * Tiny builders for planner-level tests: say only what the test is about, the rest defaults.
 *
 *   const live = snapshot([repo('app', [image({tags: ['v1'], pushedAt: daysAgo(100)})])])
 *   const want = desired({entries: [entry('app', [rule({tags: ['v*'], newest: 1})])]})
 */
import {createHash} from 'node:crypto'
import type {DesiredState, KeepRule, RepositoryEntry} from '../../src/model/desired.js'
import type {LiveImage, LiveRepository, LiveSnapshot} from '../../src/model/snapshot.js'
import {SNAPSHOT_FORMAT_VERSION} from '../../src/model/snapshot.js'

/** The evaluation time every builder's relative times are measured from. */
export const NOW = new Date('2025-02-01T00:00:00.000Z')
export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

/** A stable, realistic digest derived from a seed: `digest('a')` is always the same 64-hex digest. */
export function digest(seed: string | number): string {
  return `sha256:${createHash('sha256').update(String(seed)).digest('hex')}`
}

/** ISO time `days` before NOW (negative = after NOW). */
export function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY_MS).toISOString()
}

export function hoursAgo(hours: number): string {
  return new Date(NOW.getTime() - hours * HOUR_MS).toISOString()
}

let imageCounter = 0

/** An image pushed 100 days before NOW, untagged, 100 MB, with a fresh digest unless given. */
export function image(fields: Partial<LiveImage> & {tag?: string} = {}): LiveImage {
  const {tag, ...rest} = fields
  imageCounter += 1
  return {
    digest: digest(`image-${imageCounter}`),
    tags: tag === undefined ? [] : [tag],
    pushedAt: daysAgo(100),
    sizeBytes: 100_000_000,
    ...rest,
  }
}

/** An OCI image index whose manifest lists `children` (digests or images). */
export function index(children: Array<string | LiveImage>, fields: Partial<LiveImage> & {tag?: string} = {}): LiveImage {
  return image({
    manifestMediaType: OCI_INDEX,
    manifest: {mediaType: OCI_INDEX, children: children.map((child) => (typeof child === 'string' ? child : child.digest))},
    ...fields,
  })
}

export function repo(
  name: string,
  images: LiveImage[],
  options: {lifecyclePolicy?: string | null; imagesRead?: boolean} = {},
): LiveRepository {
  return {
    name,
    lifecyclePolicy: options.lifecyclePolicy ?? null,
    imagesRead: options.imagesRead ?? true,
    images: [...images].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0)),
  }
}

export function snapshot(
  repositories: LiveRepository[],
  registry: {accountId: string; region: string} = {accountId: '123456789012', region: 'us-east-1'},
): LiveSnapshot {
  return {
    kind: 'ecrctl-live-snapshot',
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    takenAt: NOW.toISOString(),
    registry,
    repositories: [...repositories].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  }
}

/** A keep rule's conditions; `entry()` fills in label, entry, index and source. */
export type RuleSpec = Omit<KeepRule, 'label' | 'entry' | 'index' | 'source'> & {label?: string}

export function rule(spec: RuleSpec): RuleSpec {
  return spec
}

export function entry(
  pattern: string,
  keep: RuleSpec[],
  options: Partial<Omit<RepositoryEntry, 'pattern' | 'keep'>> = {},
): RepositoryEntry {
  const source = options.source ?? {file: 'desired-state/test.yaml', line: 1, column: 1}
  return {
    pattern,
    source,
    ...options,
    keep: keep.map((spec, index) => ({
      ...spec,
      label: spec.label ?? `${pattern} keep[${index}]${describeRule(spec)}`,
      entry: pattern,
      index,
      source: {file: source.file, line: source.line + 2 + index, column: 9},
    })),
  }
}

function describeRule(spec: RuleSpec): string {
  const parts: string[] = []
  if (spec.tags) parts.push(`tag=${spec.tags.join(',')}`)
  if (spec.digests) parts.push(`digest=${spec.digests.length}`)
  if (spec.pushedWithinMs !== undefined) parts.push(`pushedWithin=${spec.pushedWithinMs}ms`)
  if (spec.pulledWithinMs !== undefined) parts.push(`pulledWithin=${spec.pulledWithinMs}ms`)
  if (spec.newest !== undefined) parts.push(`newest=${spec.newest}`)
  return parts.length > 0 ? ` ${parts.join(' ')}` : ''
}

export function desired(fields: Partial<DesiredState> & {gracePeriodMs?: number} = {}): DesiredState {
  const {gracePeriodMs, ...rest} = fields
  return {
    version: 1,
    defaults: {gracePeriodMs: gracePeriodMs ?? DAY_MS},
    entries: [],
    sha256: 'a'.repeat(64),
    files: ['desired-state/test.yaml'],
    ...rest,
  }
}

export const planOptions = {now: NOW, pricePerGbMonth: 0.1, ecrctlVersion: '0.0.0-test'}
