import {describe, expect, it} from 'vitest'
import {mapBounded} from '../../../src/util/pool.js'

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('mapBounded', () => {
  it('keeps input order and never runs more than `limit` tasks at once', async () => {
    let running = 0
    let most = 0
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (item, index) => {
      running += 1
      most = Math.max(most, running)
      for (let i = 0; i < item; i++) await tick() // finish out of order
      running -= 1
      return `${index}:${item}`
    })
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6'])
    expect(most).toBe(3)
  })

  it('handles no items, and a limit above the item count or below 1', async () => {
    expect(await mapBounded([], 8, async () => 1)).toEqual([])
    expect(await mapBounded([1, 2], 8, async (x) => x * 2)).toEqual([2, 4])
    expect(await mapBounded([1, 2], 0, async (x) => x * 2)).toEqual([2, 4])
  })

  it('rejects when a task throws', async () => {
    await expect(mapBounded([1, 2, 3], 2, async (x) => {
      if (x === 2) throw new Error('boom')
      return x
    })).rejects.toThrow('boom')
  })
})
