import {describe, expect, it} from 'vitest'
import {compareStrings} from '../../../src/util/order.js'

describe('compareStrings', () => {
  it('orders by code unit, not by locale', () => {
    expect(['b', 'B', 'a', 'é', 'A'].sort(compareStrings)).toEqual(['A', 'B', 'a', 'b', 'é'])
    expect(compareStrings('x', 'x')).toBe(0)
  })

  it('is the order of sort() without a comparator', () => {
    const words = ['b', 'B', 'a', 'é', 'A', 'a-1', 'a/1', 'A0', '']
    expect([...words].sort(compareStrings)).toEqual([...words].sort())
  })
})
