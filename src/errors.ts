/**
 * One error type for everything the user can act on. Commands let these propagate; the
 * command base class prints `summary`, `detail` and `nextSteps` as one paragraph and exits with
 * `exitCode`. Anything else that escapes is a bug and is reported as such.
 */
export type ErrorKind = 'user' | 'environment' | 'refused' | 'internal'

export interface EcrctlErrorOptions {
  kind?: ErrorKind
  detail?: string
  nextSteps?: string[]
  exitCode?: number
  cause?: unknown
}

export class EcrctlError extends Error {
  readonly kind: ErrorKind
  readonly detail?: string
  readonly nextSteps: string[]
  readonly exitCode: number

  constructor(summary: string, options: EcrctlErrorOptions = {}) {
    super(summary, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'EcrctlError'
    this.kind = options.kind ?? 'user'
    this.detail = options.detail
    this.nextSteps = options.nextSteps ?? []
    this.exitCode = options.exitCode ?? 1
  }

  /** One paragraph: what happened, the detail, and what to do next. */
  format(): string {
    const parts = [this.message]
    if (this.detail) parts.push(this.detail)
    if (this.nextSteps.length > 0) parts.push(this.nextSteps.join(' '))
    return parts.map(asSentence).join(' ')
  }
}

export const isEcrctlError = (error: unknown): error is EcrctlError => error instanceof EcrctlError

/** Details often quote an SDK message without a full stop; joined into one paragraph they would run on. */
function asSentence(text: string): string {
  const trimmed = text.trimEnd()
  // A part ending in a line break ends with a block (e.g. YAML to paste): a full stop would corrupt it.
  if (trimmed.length === 0 || /\n[ \t]*$/.test(text)) return text
  return /[.!?:;)\]`"']$/.test(trimmed) ? text : `${trimmed}.`
}
