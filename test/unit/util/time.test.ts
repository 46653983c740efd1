import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {DAY_MS, isZonedTime, parseZonedTime} from '../../../src/util/time.js'

describe('parseZonedTime', () => {
  it.each([
    ['2025-01-31T12:00:00Z', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31T12:00:00.123z', '2025-01-31T12:00:00.123Z'],
    ['2025-01-31t21:00:00+09:00', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31T12:00Z', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31T10:30:00-01:30', '2025-01-31T12:00:00.000Z'],
    ['2025-01-31', '2025-01-31T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(new Date(parseZonedTime(text)!).toISOString()).toBe(iso)
    expect(isZonedTime(text)).toBe(true)
  })

  it.each([
    '2025-01-31T12:00:00', // no zone: local time
    '2025-01-31T12:00',
    '2025-01-31 12:00:00Z',
    'Fri, 31 Jan 2025 12:00:00 GMT',
    '1738324800000',
    '2025-02-30', // Date.parse: March 2
    '2025-02-29',
    '2025-13-01',
    '2025-01-31T24:00:00Z',
    '2025-01-31T12:60:00Z',
    '2025-01-31T12:00:00+0900',
    '2025-01-31T12:00:00+24:00',
    '',
    42,
    null,
  ])('refuses %j', (value) => {
    expect(parseZonedTime(value)).toBeUndefined()
    expect(isZonedTime(value)).toBe(false)
  })

  it('reads the same instant whatever the machine zone (the zone is in the text)', () => {
    expect(parseZonedTime('2025-01-02T00:00:00+00:00')! - parseZonedTime('2025-01-01')!).toBe(DAY_MS)
  })

  it('isZonedTime (the fast checks) says yes exactly when parseZonedTime reads a number', () => {
    const two = (min: number, max: number) => fc.integer({min, max}).map((n) => String(n).padStart(2, '0'))
    const time = fc
      .tuple(fc.integer({min: 0, max: 9999}), two(0, 13), two(0, 32), fc.option(fc.tuple(two(0, 25), two(0, 61), fc.option(two(0, 61)), fc.constantFrom('Z', 'z', '+09:00', '-23:59', '+24:00', '+00:60', ''))))
      .map(([year, month, day, rest]) => {
        const date = `${String(year).padStart(4, '0')}-${month}-${day}`
        if (rest === null) return date
        const [hour, minute, second, zone] = rest
        return `${date}T${hour}:${minute}${second === null ? '' : `:${second}`}${zone}`
      })
    let read = 0
    fc.assert(
      fc.property(time, (text) => {
        const ms = parseZonedTime(text)
        expect(isZonedTime(text)).toBe(ms !== undefined)
        if (ms !== undefined) {
          read += 1
          expect(Number.isNaN(ms)).toBe(false)
        }
      }),
      {numRuns: 2000},
    )
    expect(read).toBeGreaterThan(100)
  })
})
