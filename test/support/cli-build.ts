/**
 * globalSetup of the integration project: end-to-end tests run the built CLI, so build it once
 * when dist/ is missing or older than any source (src/, bin/, package.json, tsconfig*.json).
 * A failing build fails the run with the compiler's output rather than testing stale code.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {REPO_ROOT} from './cli.js'

function newestMtime(path: string): number {
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

export function cliBuildIsFresh(): boolean {
  const marker = join(REPO_ROOT, 'oclif.manifest.json') // written last by `npm run build`
  if (!existsSync(marker) || !existsSync(join(REPO_ROOT, 'dist', 'commands'))) return false
  const builtAt = statSync(marker).mtimeMs
  const sources = ['src', 'bin', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => join(REPO_ROOT, p))
  return sources.filter((p) => existsSync(p)).every((p) => newestMtime(p) <= builtAt)
}

export default function setup(): void {
  if (cliBuildIsFresh()) return
  try {
    execFileSync('npm', ['run', 'build'], {cwd: REPO_ROOT, stdio: 'pipe', encoding: 'utf8'})
  } catch (error) {
    const output = error as {stdout?: string; stderr?: string}
    throw new Error(`npm run build failed, so the CLI cannot be tested end to end:\n${output.stdout ?? ''}${output.stderr ?? ''}`)
  }
}
