/**
 * The code source's pure core: the references in one file's text, each with `path:line` evidence
 * (lines 1-based) and the 1-based column in `field`, in order of position.
 */
import type {ImageReference} from '../model/in-use.js'
import {findReferences, referenceOf, type RepositoryNames} from './references.js'

export function scanCodeText(text: string, path: string, repositories: RepositoryNames): ImageReference[] {
  const references: ImageReference[] = []
  let line = 1
  let lineStart = 0
  for (const match of findReferences(text, repositories)) {
    // Matches come in order: each newline is counted once.
    for (let newline = text.indexOf('\n', lineStart); newline >= 0 && newline < match.start; newline = text.indexOf('\n', newline + 1)) {
      line++
      lineStart = newline + 1
    }
    references.push(referenceOf(match, text, {source: 'code', resource: `${path}:${line}`, field: `column ${match.start - lineStart + 1}`}))
  }
  return references
}
