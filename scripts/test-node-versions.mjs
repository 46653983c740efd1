// The README's test command (and CI's): the whole suite on every supported Node major, each with a
// fresh `npm ci` and `npm test` run with that Node first on PATH, so npm, npx, vitest's workers and
// the built CLI all run on it. Needs nothing installed but node, npm, tar and python3 (the emulator's
// moto is installed by `npm test`). Ends with one plain `N passed, N failed` line summed over the
// versions; a failure on any version fails the run.
//
// Node binaries for majors other than the running one come from the npm registry as packages
// (`node-<platform>-<arch>@<major>`, the binary at package/bin/node), cached in .node-versions/
// (gitignored; delete it to pick up newer patch releases). NODE_MAJORS=22 (comma-separated) runs
// a subset.
import {spawnSync} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync} from 'node:fs'
import {delimiter, join, resolve} from 'node:path'
import {countResults} from './test-results.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const CACHE = join(ROOT, '.node-versions')
const MAJORS = (process.env.NODE_MAJORS ?? '20,22,24').split(',').map((m) => m.trim()).filter(Boolean)
const RESULTS = join(ROOT, '.vitest', 'results.json')

function fail(message) {
  console.error(`Error: ${message}`)
  process.exit(1)
}

/**
 * A directory holding only a `node` of this major (a link to the running one, or one fetched and
 * cached), so putting it first on PATH changes which node runs and nothing else (the running
 * node's own directory, e.g. /usr/bin, would also shadow python3 and the rest).
 */
function nodeBinDir(major) {
  const dir = join(CACHE, major, 'bin')
  if (process.versions.node.split('.')[0] === major) {
    mkdirSync(dir, {recursive: true})
    rmSync(join(dir, 'node'), {force: true})
    symlinkSync(process.execPath, join(dir, 'node'))
    return dir
  }
  if (existsSync(join(dir, 'node'))) return dir
  const spec = `node-${process.platform}-${process.arch}@${major}`
  const download = join(CACHE, `download-${major}`)
  rmSync(download, {recursive: true, force: true})
  mkdirSync(download, {recursive: true})
  console.log(`Fetching Node ${major} (${spec})…`)
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', download, '--silent'], {cwd: download, stdio: ['ignore', 'ignore', 'inherit']})
  const tarball = readdirSync(download).find((name) => name.endsWith('.tgz'))
  if (pack.status !== 0 || !tarball) fail(`could not fetch ${spec} with npm pack; check the network, or set NODE_MAJORS to skip it.`)
  const untar = spawnSync('tar', ['-xzf', join(download, tarball), '-C', download, 'package/bin/node'], {stdio: 'inherit'})
  if (untar.status !== 0) fail(`could not unpack package/bin/node from ${tarball}.`)
  mkdirSync(dir, {recursive: true})
  // Copy, then remove the download: the binary appears under its final name only when complete.
  copyFileSync(join(download, 'package', 'bin', 'node'), join(dir, 'node.partial'))
  chmodSync(join(dir, 'node.partial'), 0o755)
  renameSync(join(dir, 'node.partial'), join(dir, 'node'))
  rmSync(download, {recursive: true, force: true})
  return dir
}

/** Runs on the given node: its directory first on PATH, so `npm` and `npx` (via `env node`) use it too. */
function runWith(binDir, env, cmd, args) {
  const PATH = [binDir, process.env.PATH ?? ''].join(delimiter)
  return spawnSync(cmd, args, {cwd: ROOT, stdio: 'inherit', env: {...process.env, ...env, PATH}}).status ?? 1
}

/** The versions the test processes themselves reported (test/unit/runtime.test.ts names its test after it). */
function versionsSeenByTests(results) {
  const seen = new Set()
  for (const file of results.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      const match = /^runs on Node (v\S+)$/.exec(test.title ?? '')
      if (match) seen.add(match[1])
    }
  }
  return [...seen]
}

const rows = []
for (const major of MAJORS) {
  const binDir = nodeBinDir(major)
  const version = spawnSync(join(binDir, 'node'), ['--version'], {encoding: 'utf8'}).stdout.trim()
  console.log(`\n=== Node ${version}: npm ci && npm test ===\n`)
  rmSync(RESULTS, {force: true})
  const env = {ECRCTL_TEST_NODE_VERSION: version}
  if (runWith(binDir, env, 'npm', ['ci']) !== 0) {
    rows.push({version, passed: 0, failed: 1, note: 'npm ci failed'})
    continue
  }
  const status = runWith(binDir, env, 'npm', ['test'])
  if (!existsSync(RESULTS)) {
    rows.push({version, passed: 0, failed: 1, note: 'no test results (typecheck or emulator setup failed?)'})
    continue
  }
  const results = JSON.parse(readFileSync(RESULTS, 'utf8'))
  const {passed, failed} = countResults(results)
  const row = {version, passed, failed}
  const seen = versionsSeenByTests(results)
  if (seen.length !== 1 || seen[0] !== version) {
    row.failed += 1
    row.note = `the tests reported running on ${seen.join(', ') || 'no Node version'}, not ${version}`
  } else if (status !== 0 && row.failed === 0) {
    row.failed = 1
    row.note = `npm test exited ${status}`
  }
  rows.push(row)
}

console.log('\nNode versions:')
for (const row of rows) console.log(`  ${row.version}: ${row.passed} passed, ${row.failed} failed${row.note ? ` (${row.note})` : ''}`)
const passed = rows.reduce((sum, row) => sum + row.passed, 0)
const failed = rows.reduce((sum, row) => sum + row.failed, 0)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && rows.length === MAJORS.length ? 0 : 1)
