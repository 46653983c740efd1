/**
 * Text from outside ecrctl (tags, repository names, reasons, registry messages) made safe to show
 * in a terminal or a markdown comment: control characters (C0, DEL, C1) and the invisible
 * bidirectional formatting characters become visible escapes (`\x1B`, `\u202E`). An escape
 * sequence in a tag or reason then cannot clear the screen, set the window title, or make a line
 * read differently than it is. Pure; the fast path allocates nothing.
 */
const UNSAFE_SOURCE = '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]'
const UNSAFE = new RegExp(UNSAFE_SOURCE)
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, 'g')
const UNSAFE_BUT_LINE_BREAKS = new RegExp(UNSAFE_SOURCE.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f'), 'g')

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

function escape(char: string): string {
  const named = NAMED[char]
  if (named) return named
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/** One line of text: every control character is escaped, line breaks and tabs included. */
export function printable(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escape) : text
}

/** Text of several lines (an error paragraph with a block to paste): line breaks and tabs stay. */
export function printableLines(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_BUT_LINE_BREAKS, escape) : text
}
