import {describe, expect, it} from 'vitest'
import {formatPrice, formatTimestamp, formatUsd} from '../../../src/render/format.js'
import {formatBytes} from '../../../src/util/bytes.js'
import {digestShortener, shortDigest} from '../../../src/util/short-digest.js'

describe('formatBytes (decimal, as ECR bills)', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [512_345_678, '512.3 MB'],
    [999_960_000, '1.0 GB'],
    [12_345_678_901, '12.3 GB'],
    [3_200_000_000_000, '3.2 TB'],
  ])('%d bytes → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text))
})

describe('money and time', () => {
  it('keeps a price’s significant digits and never shows a non-zero saving as $0.00', () => {
    expect(formatPrice(0.1)).toBe('$0.10')
    expect(formatPrice(0.085)).toBe('$0.085')
    expect(formatPrice(1)).toBe('$1.00')
    expect(formatUsd(1.234)).toBe('$1.23')
    expect(formatUsd(0)).toBe('$0.00')
    expect(formatUsd(0.001)).toBe('< $0.01')
  })

  it('shows timestamps to the minute, in UTC', () => {
    expect(formatTimestamp('2025-01-02T03:04:05.678Z')).toBe('2025-01-02 03:04')
  })
})

describe('shortDigest (messages, reasons, labels)', () => {
  it('keeps the algorithm and 12 hex digits, with no ellipsis: the minimal form digestShortener starts from', () => {
    const digest = `sha256:0123456789abcdef${'0'.repeat(48)}`
    expect(shortDigest(digest)).toBe('sha256:0123456789ab')
    expect(digestShortener([digest])(digest)).toBe(shortDigest(digest))
    expect(shortDigest('sha256:abc')).toBe('sha256:abc')
  })
})

describe('digestShortener', () => {
  const hex = (prefix: string) => `sha256:${prefix}${'0'.repeat(64 - prefix.length)}`

  it('uses 12 hex characters when they are unique', () => {
    const a = hex('aaaaaaaaaaaa1')
    const b = hex('bbbbbbbbbbbb')
    const short = digestShortener([a, b])
    expect(short(a)).toBe('sha256:aaaaaaaaaaaa')
    expect(short(b)).toBe('sha256:bbbbbbbbbbbb')
  })

  it('lengthens only the digests that share a longer prefix, until each is unique', () => {
    const a = hex('0123456789abcdef1')
    const b = hex('0123456789abcdef2')
    const c = hex('fedcba9876543210')
    const short = digestShortener([c, b, a, a])
    expect(short(a)).toBe('sha256:0123456789abcdef1')
    expect(short(b)).toBe('sha256:0123456789abcdef2')
    expect(short(c)).toBe('sha256:fedcba987654')
    const shortened = [a, b, c].map(short)
    for (const [i, s] of shortened.entries()) {
      expect([a, b, c].filter((d) => d.startsWith(s))).toEqual([[a, b, c][i]])
    }
  })

  it('returns an unknown digest unchanged rather than guessing', () => {
    expect(digestShortener([])(hex('ab'))).toBe(hex('ab'))
  })
})

describe('digestShortener (property)', () => {
  it('every short form is ≥ 12 hex characters, a prefix of its digest, and matches no other digest', async () => {
    const fc = await import('fast-check')
    // Few hex symbols and shared prefixes make collisions in the first 12+ characters likely.
    const hex = fc.string({unit: fc.constantFrom('a', 'b', '0'), minLength: 64, maxLength: 64})
    fc.assert(
      fc.property(fc.array(hex, {minLength: 1, maxLength: 30}), (hexes) => {
        const digests = [...new Set(hexes.map((h) => `sha256:${h}`))]
        const short = digestShortener(digests)
        for (const digest of digests) {
          const s = short(digest)
          expect(digest.startsWith(s)).toBe(true)
          expect(s.length - 'sha256:'.length).toBeGreaterThanOrEqual(12)
          expect(digests.filter((other) => other.startsWith(s))).toEqual([digest])
        }
      }),
    )
  })
})

/** The shortener as first written (sort every digest, compare neighbours): the reference for the grouped one. */
function referenceShortener(digests: Iterable<string>, minHex = 12): (digest: string) => string {
  const unique = [...new Set(digests)].sort()
  const common = (a: string, b: string) => {
    let i = 0
    while (i < a.length && i < b.length && a[i] === b[i]) i += 1
    return i
  }
  const lengths = new Map<string, number>()
  unique.forEach((digest, i) => {
    const hexStart = digest.indexOf(':') + 1
    const shared = Math.max(i > 0 ? common(digest, unique[i - 1]!) : 0, i < unique.length - 1 ? common(digest, unique[i + 1]!) : 0)
    lengths.set(digest, Math.min(digest.length, Math.max(hexStart + minHex, shared + 1)))
  })
  return (digest) => {
    const length = lengths.get(digest)
    return length === undefined ? digest : digest.slice(0, length)
  }
}

describe('digestShortener (same answers as sorting every digest)', () => {
  it('for digests with and without algorithm prefixes, duplicates, and digests it was not given', async () => {
    const fc = await import('fast-check')
    const text = fc.string({unit: fc.constantFrom('a', 'b', '0', ':'), maxLength: 24})
    const digest = fc.oneof(text, text.map((t) => `sha256:${t}`))
    fc.assert(
      fc.property(fc.array(digest, {maxLength: 30}), fc.array(digest, {maxLength: 5}), fc.integer({min: 1, max: 12}), (given, others, minHex) => {
        const short = digestShortener(given, minHex)
        const reference = referenceShortener(given, minHex)
        for (const d of [...given, ...others]) expect(short(d)).toBe(reference(d))
        for (const d of given) expect(short.known(d)).toBe(reference(d))
      }),
      {numRuns: 2000},
    )
  })
})
