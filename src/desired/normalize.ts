/**
 * A valid file's content → the model's RepositoryEntry list (src/model/desired.ts): durations in
 * ms, `tag`/`tags` and `digest`/`digests` merged, every rule labelled and located. Also runs the
 * lifecycle semantic checks, whose violations are located like schema errors.
 */
import type {KeepRule, RepositoryEntry} from '../model/desired.js'
import {validateLifecyclePolicy} from '../lifecycle/validate.js'
import {parseDuration} from '../util/duration.js'
import {shortDigest} from '../util/short-digest.js'
import {type DesiredStateIssue, formatPath} from './issues.js'
import type {ParsedFile} from './parse-file.js'
import type {KeepRuleInput, RepositoryEntryInput} from './schema.js'

/** Durations reaching here passed the schema's pattern, so parsing cannot fail. */
function durationMs(text: string): number {
  const ms = parseDuration(text)
  if (ms === undefined) throw new Error(`BUG: schema accepted invalid duration ${text}`)
  return ms
}

const merged = (one: string | undefined, many: string[] | undefined): string[] | undefined => {
  const all = [...(one === undefined ? [] : [one]), ...(many ?? [])]
  return all.length > 0 ? [...new Set(all)] : undefined
}

/**
 * `spaceport/sfm keep[1] tag=20*-* newest=5`: the entry, the rule's index and its conditions in
 * a fixed order, so the same file always yields the same label.
 */
export function keepRuleLabel(rule: Omit<KeepRule, 'label' | 'source'>, pushedWithin?: string, pulledWithin?: string): string {
  const parts = [`${rule.entry} keep[${rule.index}]`]
  if (rule.tags) parts.push(rule.tags.length === 1 ? `tag=${rule.tags[0]}` : `tags=${rule.tags.join(',')}`)
  if (rule.digests) {
    const shown = rule.digests.map((digest) => shortDigest(digest))
    parts.push(shown.length === 1 ? `digest=${shown[0]}` : `digests=${shown.join(',')}`)
  }
  if (pushedWithin !== undefined) parts.push(`pushedWithin=${pushedWithin}`)
  if (pulledWithin !== undefined) parts.push(`pulledWithin=${pulledWithin}`)
  if (rule.newest !== undefined) parts.push(`newest=${rule.newest}`)
  return parts.join(' ')
}

function normalizeKeepRule(file: ParsedFile, pattern: string, index: number, input: KeepRuleInput): KeepRule {
  const base: Omit<KeepRule, 'label' | 'source'> = {entry: pattern, index}
  const tags = merged(input.tag, input.tags)
  const digests = merged(input.digest, input.digests)
  if (tags) base.tags = tags
  if (digests) base.digests = digests
  if (input.pushedWithin !== undefined) base.pushedWithinMs = durationMs(input.pushedWithin)
  if (input.pulledWithin !== undefined) base.pulledWithinMs = durationMs(input.pulledWithin)
  if (input.newest !== undefined) base.newest = input.newest
  if (input.reason !== undefined) base.reason = input.reason
  return {
    label: keepRuleLabel(base, input.pushedWithin, input.pulledWithin),
    source: {file: file.file, ...file.locate(['repositories', pattern, 'keep', index])},
    ...base,
  }
}

export interface NormalizedFile {
  entries: RepositoryEntry[]
  issues: DesiredStateIssue[]
}

export function normalizeEntries(file: ParsedFile, repositories: Record<string, RepositoryEntryInput>): NormalizedFile {
  const entries: RepositoryEntry[] = []
  const issues: DesiredStateIssue[] = []
  for (const [pattern, input] of Object.entries(repositories)) {
    const entryPath = ['repositories', pattern]
    const entry: RepositoryEntry = {
      pattern,
      source: {file: file.file, ...file.locate(entryPath, true)},
      keep: (input.keep ?? []).map((rule, index) => normalizeKeepRule(file, pattern, index, rule)),
    }
    // See docs/desired-state.md: an entry without `keep` must not make its repositories' images managed.
    if (input.keep === undefined) entry.keepOmitted = true
    if (input.gracePeriod !== undefined) entry.gracePeriodMs = durationMs(input.gracePeriod)
    if (input.lifecycle !== undefined) {
      entry.lifecycle = input.lifecycle
      entry.lifecycleSource = {file: file.file, ...file.locate([...entryPath, 'lifecycle'], true)}
      if (input.lifecycle !== 'none') {
        for (const violation of validateLifecyclePolicy(input.lifecycle)) {
          const path = [...entryPath, 'lifecycle', ...violation.path]
          const priority = violation.rulePriority === undefined ? '' : `rule priority ${violation.rulePriority}: `
          issues.push({file: file.file, ...file.locate(path), path: formatPath(path), message: `${priority}${violation.message}`})
        }
      }
    }
    if (input.acceptLifecycleConflicts !== undefined) entry.acceptLifecycleConflicts = input.acceptLifecycleConflicts
    entries.push(entry)
  }
  return {entries, issues}
}
