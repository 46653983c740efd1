/**
 * The one string order of ecrctl: UTF-16 code units, independent of the machine's locale, so plans,
 * snapshots and file lists sort the same everywhere (`localeCompare` would not). It is also what
 * `Array.prototype.sort()` does without a comparator.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
