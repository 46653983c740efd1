import {describe, expect, it} from 'vitest'
import {shouldUseColor} from '../../../src/render/options.js'

describe('shouldUseColor', () => {
  it('colours only a terminal, unless --no-color or a non-empty NO_COLOR says otherwise', () => {
    expect(shouldUseColor({noColorFlag: false, env: {}, isTTY: true})).toBe(true)
    expect(shouldUseColor({noColorFlag: false, env: {}, isTTY: false})).toBe(false)
    expect(shouldUseColor({noColorFlag: false, env: {}, isTTY: undefined})).toBe(false)
    expect(shouldUseColor({noColorFlag: true, env: {}, isTTY: true})).toBe(false)
    expect(shouldUseColor({noColorFlag: false, env: {NO_COLOR: '1'}, isTTY: true})).toBe(false)
    expect(shouldUseColor({noColorFlag: false, env: {NO_COLOR: ''}, isTTY: true})).toBe(true)
  })
})
