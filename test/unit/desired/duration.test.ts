import {describe, expect, it} from 'vitest'
import {formatDuration, parseDuration} from '../../../src/util/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 15 * 60_000],
    ['24h', 24 * 3_600_000],
    ['30d', 30 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['0h', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['24', 'h', '24 h', '1.5d', '-1d', '30days', '1y', '1M', '24H', ' 24h', '12345678d', ''])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined()
    },
  )

  it('keeps the largest accepted value a safe integer', () => {
    const ms = parseDuration('9999999w')
    expect(ms).toBeDefined()
    expect(Number.isSafeInteger(ms)).toBe(true)
  })
})

describe('formatDuration', () => {
  it.each([
    [86_400_000, '1d'],
    [2 * 86_400_000, '2d'],
    [14 * 86_400_000, '14d'],
    [7 * 86_400_000, '7d'],
    [36 * 3_600_000, '36h'],
    [0, '0s'],
    [1500, '1500ms'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it('round-trips through parseDuration', () => {
    for (const text of ['1s', '59m', '25h', '6d', '30d']) expect(formatDuration(parseDuration(text)!)).toBe(text)
    // weeks are written as days: the same duration, in the unit retention is read in
    for (const [text, shown] of [['3w', '21d'], ['24h', '1d'], ['48h', '2d'], ['120m', '2h'], ['60s', '1m']]) {
      expect(formatDuration(parseDuration(text!)!)).toBe(shown)
      expect(parseDuration(shown!)).toBe(parseDuration(text!))
    }
  })
})
