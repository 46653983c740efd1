import {expect} from 'vitest'
import {EcrctlError} from '../../src/errors.js'

/** The one-paragraph message of the EcrctlError `action` throws; fails the test if it throws nothing else. */
export function refusalOf(action: () => unknown): string {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(EcrctlError)
    return (error as EcrctlError).format()
  }
  throw new Error('expected a refusal')
}
