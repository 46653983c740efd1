// `npm run build`: compile into a fresh folder and swap it in, so a build never leaves `dist/`
// half-written under a CLI or test run that is using it; then generate the JSON Schema and the
// oclif manifest from the new dist/.
import {spawnSync} from 'node:child_process'
import {renameSync, rmSync, existsSync} from 'node:fs'

const next = `.dist-next-${process.pid}`
const old = `.dist-old-${process.pid}`
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, {stdio: 'inherit'})
  if (result.status !== 0) {
    rmSync(next, {recursive: true, force: true})
    process.exit(result.status ?? 1)
  }
}

run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', next])
if (existsSync('dist')) renameSync('dist', old)
renameSync(next, 'dist')
rmSync(old, {recursive: true, force: true})
run('node', ['scripts/write-schema.mjs'])
run('node', ['scripts/write-manifest.mjs'])
