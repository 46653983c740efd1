/**
 * Output decisions shared by `plan` and `show`, as plain functions so they are tested without a
 * terminal. Colour follows https://no-color.org: a non-empty NO_COLOR turns it off, and so does
 * --no-color or a stdout that is not a terminal (a file, a pipe, a CI log).
 */
export function shouldUseColor(input: {noColorFlag: boolean; env: NodeJS.ProcessEnv; isTTY: boolean | undefined}): boolean {
  if (input.noColorFlag) return false
  if (input.env.NO_COLOR !== undefined && input.env.NO_COLOR !== '') return false
  return input.isTTY === true
}
