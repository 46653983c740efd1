/**
 * Runs `task` over `items` with at most `limit` in flight; results in input order. The one pool of
 * ecrctl: repositories read at once, manifest batches of a repository, repositories applied at
 * once. A task that throws rejects the whole map (the other workers finish their current item).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!, index)
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, worker))
  return results
}
