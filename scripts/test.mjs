// `npm test`: the whole suite — typecheck, unit, golden and integration tests (against the ECR
// emulator, which this checks for first). Ends with one plain `N passed, N failed` line so any CI
// can read the result.
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, existsSync} from 'node:fs'
import {countResults} from './test-results.mjs'

const run = (cmd, args) => spawnSync(cmd, args, {stdio: 'inherit'}).status ?? 1

if (run('node', ['scripts/ensure-emulator.mjs']) !== 0) process.exit(1)
if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) {
  console.error('Typecheck failed.')
  process.exit(1)
}
mkdirSync('.vitest', {recursive: true})
const results = '.vitest/results.json'
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${results}`, ...process.argv.slice(2)])
if (existsSync(results)) {
  const counts = countResults(JSON.parse(readFileSync(results, 'utf8')))
  console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
  if (counts.total === 0) {
    console.error('No test ran.')
    process.exit(1)
  }
}
process.exit(status)
