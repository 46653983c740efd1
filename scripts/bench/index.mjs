// `npm run bench`: runs every benchmark section in scripts/bench/*.bench.mjs in name order and
// prints their figures. Benchmarks print numbers; they never pass or fail on timing.
import {readdirSync} from 'node:fs'

const dir = new URL('.', import.meta.url)
const only = process.argv[2]
const sections = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => !only || name.includes(only))
  .sort()
for (const name of sections) {
  console.log(`\n## ${name.replace('.bench.mjs', '')}`)
  const section = await import(new URL(name, dir))
  await section.default()
}
