/**
 * "Did you mean …?": the known name a typo most likely meant. Used for unknown keys in the desired
 * state and for entry patterns that match no repository.
 */

/** Edit distance counting a swap of neighbours as one edit ("tga" → "tag"), for "did you mean". */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/** The known key a typo most likely meant, if any is close enough to be worth suggesting. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: {key: string; distance: number} | undefined
  for (const key of known) {
    const distance = key.toLowerCase() === unknown.toLowerCase() ? 0 : editDistance(unknown, key)
    if (!best || distance < best.distance) best = {key, distance}
  }
  if (!best) return undefined
  const allowed = Math.max(1, Math.min(3, Math.floor(best.key.length / 3)))
  return best.distance <= allowed ? best.key : undefined
}
