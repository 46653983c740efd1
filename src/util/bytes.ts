/**
 * Byte counts in words, shared by the renderers (src/render) and the terminal views (src/ui), so
 * both spell a size the same way.
 */

/** Decimal units, as ECR bills storage (1 GB = 10^9 bytes). One decimal place above bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB', 'PB']
  let value = bytes
  let unit = -1
  do {
    value /= 1000
    unit += 1
  } while (value >= 999.95 && unit < units.length - 1)
  return `${value.toFixed(1)} ${units[unit]}`
}

/**
 * The bytes a deletion frees, in the one vocabulary every output uses (plan, confirmation, apply
 * progress and summary): "sum of image sizes 8.7 GB; unique bytes freed 2.1 GB", or only the sum
 * when unique bytes are unknown (not every manifest was read). The sum counts a shared layer once
 * per image; unique bytes count each blob once, and only when nothing kept uses it.
 */
export function freedBytesText(imageSizeBytes: number, uniqueBytesFreed: number | undefined): string {
  const sum = `sum of image sizes ${formatBytes(imageSizeBytes)}`
  return uniqueBytesFreed === undefined ? sum : `${sum}; unique bytes freed ${formatBytes(uniqueBytesFreed)}`
}
