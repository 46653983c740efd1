import {describe, expect, it} from 'vitest'
import {EcrctlError} from '../../../src/errors.js'
import {parseEvaluationTime, parsePricePerGbMonth} from '../../../src/commands/_shared/plan-options.js'

describe('parseEvaluationTime (--now)', () => {
  it('accepts ISO-8601 date-times with a zone, and dates as midnight UTC', () => {
    expect(parseEvaluationTime('2025-03-01T00:00:00Z').toISOString()).toBe('2025-03-01T00:00:00.000Z')
    expect(parseEvaluationTime('2025-03-01T09:30:00.250+09:00').toISOString()).toBe('2025-03-01T00:30:00.250Z')
    expect(parseEvaluationTime('2025-03-01T12:00Z').toISOString()).toBe('2025-03-01T12:00:00.000Z')
    expect(parseEvaluationTime('2025-03-01').toISOString()).toBe('2025-03-01T00:00:00.000Z')
  })

  it('defaults to the clock', () => {
    const fixed = new Date('2030-01-01T00:00:00Z')
    expect(parseEvaluationTime(undefined, () => fixed)).toBe(fixed)
  })

  it.each(['yesterday', '2025-13-01', '2025-02-30', '1740787200', '2025-03-01 00:00:00Z', ''])('refuses %j', (text) => {
    expect(() => parseEvaluationTime(text)).toThrow(EcrctlError)
    expect(() => parseEvaluationTime(text)).toThrow(/is not an ISO-8601 time/)
  })

  it('refuses a date-time without a zone, explaining why', () => {
    expect(() => parseEvaluationTime('2025-03-01T00:00:00')).toThrow(/not an ISO-8601 time with a time zone/)
  })
})

describe('parsePricePerGbMonth', () => {
  it('parses non-negative decimals and defaults to $0.10', () => {
    expect(parsePricePerGbMonth(undefined)).toBe(0.1)
    expect(parsePricePerGbMonth('0.085')).toBe(0.085)
    expect(parsePricePerGbMonth('0')).toBe(0)
    expect(parsePricePerGbMonth('.07')).toBe(0.07)
  })

  it.each(['-1', 'abc', '1e3', 'Infinity', ''])('refuses %j', (text) => {
    expect(() => parsePricePerGbMonth(text)).toThrow(/is not a price/)
  })
})
