import type {DesiredState, RepositoryEntry} from './desired.js'
import {globMatches} from '../util/glob.js'

/** The desired-state entries that apply to a repository, in declaration order. */
export function matchingEntries(desired: Pick<DesiredState, 'entries'>, repository: string): RepositoryEntry[] {
  return desired.entries.filter((entry) => globMatches(entry.pattern, repository))
}

/** A repository is managed when at least one entry matches it; unmanaged ones are never touched. */
export function isManaged(desired: Pick<DesiredState, 'entries'>, repository: string): boolean {
  return desired.entries.some((entry) => globMatches(entry.pattern, repository))
}

/**
 * Whether the plan may delete images in a repository: some matching entry declares `keep` (even
 * `keep: []`). A repository matched only by lifecycle-only entries keeps all its images.
 */
export function managesImages(desired: Pick<DesiredState, 'entries'>, repository: string): boolean {
  return matchingEntries(desired, repository).some((entry) => !entry.keepOmitted)
}
