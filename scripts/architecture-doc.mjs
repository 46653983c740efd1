// `npm run docs:architecture`: rewrites the generated table in docs/architecture.md from
// scripts/architecture-rules.mjs. test/unit/architecture.test.ts fails when they differ.
import {readFileSync, writeFileSync} from 'node:fs'
import {withArchitectureTable} from './architecture-rules.mjs'

const path = new URL('../docs/architecture.md', import.meta.url)
const doc = readFileSync(path, 'utf8')
const next = withArchitectureTable(doc)
if (next === undefined) {
  console.error('docs/architecture.md has no architecture-table markers; add them where the table belongs.')
  process.exit(1)
}
if (next !== doc) writeFileSync(path, next)
console.log(next === doc ? 'docs/architecture.md: table already up to date' : 'docs/architecture.md: table rewritten')
