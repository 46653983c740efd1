/**
 * Holds the layering of src/ (scripts/architecture-rules.mjs) against what the code imports: every
 * static import, `export … from`, dynamic `import()` and `import('…').Type` of every file counts,
 * type-only ones included (a type import still ties one folder's meaning to another's).
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import ts from 'typescript'
import {describe, expect, it} from 'vitest'
import {
  EDGES,
  LAYERS,
  MAX_COMMAND_LINES,
  PURE_CORE,
  RESTRICTED_PACKAGES,
  renderArchitectureTable,
  withArchitectureTable,
} from '../../scripts/architecture-rules.mjs'

const ROOT = resolve(import.meta.dirname, '../..')
const SRC = join(ROOT, 'src')

interface ImportEdge {
  file: string
  line: number
  specifier: string
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every module specifier a file names; a dynamic import of a computed name is an error (it cannot be checked). */
function importsOf(file: string, text = readFileSync(file, 'utf8')): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const edges: ImportEdge[] = []
  const add = (node: ts.Node, literal: ts.Node | undefined): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1
    if (!literal || !ts.isStringLiteralLike(literal)) throw new Error(`${relative(ROOT, file)}:${line}: an import whose module name is not a string literal cannot be checked`)
    edges.push({file, line, specifier: literal.text})
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier)
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier)
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression)
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0])
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return edges
}

/** The top-level entry of src/ a path belongs to: `planner` for src/planner/plan.ts, `errors` for src/errors.ts. */
const layerOf = (path: string): string => relative(SRC, path).split(/[\\/]/)[0]!.replace(/\.(ts|tsx|js)$/, '')

const at = (edge: ImportEdge): string => `${relative(ROOT, edge.file)}:${edge.line}`

interface Arrow {
  from: string
  to: string
  edge: ImportEdge
}

function readArrows(): {arrows: Arrow[]; packages: Array<{layer: string; name: string; edge: ImportEdge}>} {
  const arrows: Arrow[] = []
  const packages: Array<{layer: string; name: string; edge: ImportEdge}> = []
  for (const file of sourceFiles(SRC)) {
    for (const edge of importsOf(file)) {
      if (edge.specifier.startsWith('.')) {
        const target = resolve(dirname(file), edge.specifier)
        if (!target.startsWith(SRC)) throw new Error(`${at(edge)}: imports ${edge.specifier}, outside src/`)
        arrows.push({from: layerOf(file), to: layerOf(target), edge})
      } else if (!edge.specifier.startsWith('node:')) {
        packages.push({layer: layerOf(file), name: edge.specifier, edge})
      }
    }
  }
  return {arrows, packages}
}

/** Folder-level cycles in `arrows`, each as a path a → b → … → a with one import that makes each step. */
function folderCycles(arrows: readonly Arrow[]): string[] {
  const next = new Map<string, Map<string, Arrow>>()
  for (const arrow of arrows) {
    if (arrow.from === arrow.to) continue
    const out = next.get(arrow.from) ?? new Map<string, Arrow>()
    if (!out.has(arrow.to)) out.set(arrow.to, arrow)
    next.set(arrow.from, out)
  }
  const cycles = new Set<string>()
  const walk = (start: string, node: string, path: Arrow[], seen: Set<string>): void => {
    for (const [to, arrow] of next.get(node) ?? []) {
      if (to === start) {
        const steps = [...path, arrow]
        // Report each cycle once, from its alphabetically first folder.
        if (steps.every((step) => step.from >= start)) cycles.add(`${steps.map((s) => s.from).join(' → ')} → ${start}  (${steps.map((s) => at(s.edge)).join(', ')})`)
      } else if (!seen.has(to)) walk(start, to, [...path, arrow], new Set([...seen, to]))
    }
  }
  for (const start of next.keys()) walk(start, start, [], new Set([start]))
  return [...cycles].sort()
}

const packageMatches = (prefix: string, name: string): boolean =>
  prefix.endsWith('/') ? name.startsWith(prefix) : name === prefix || name.startsWith(`${prefix}/`)

const {arrows, packages} = readArrows()
const allowed = new Map(LAYERS.map((layer) => [layer.name, new Set(layer.mayImport)]))

describe('architecture: the imports of src/ follow scripts/architecture-rules.mjs', () => {
  it('reads imports of every kind, so nothing slips past the check', () => {
    const text = [
      "import {a} from './static.js'",
      "import type {B} from '../model/type-only.js'",
      "export {c} from './reexport.js'",
      "const d = await import('../registry/dynamic.js')",
      "let e: import('../ui/type-query.js').E",
      "import 'side-effect'",
    ].join('\n')
    expect(importsOf(join(SRC, 'planner/example.ts'), text).map((edge) => edge.specifier)).toEqual([
      './static.js',
      '../model/type-only.js',
      './reexport.js',
      '../registry/dynamic.js',
      '../ui/type-query.js',
      'side-effect',
    ])
    expect(() => importsOf(join(SRC, 'planner/example.ts'), 'const m = await import(`../${name}.js`)')).toThrow(/not a string literal/)
  })

  it('finds a cycle between folders and names the imports that make it', () => {
    const edge = (file: string): ImportEdge => ({file: join(SRC, file), line: 1, specifier: 'x'})
    const cycles = folderCycles([
      {from: 'desired', to: 'lifecycle', edge: edge('desired/normalize.ts')},
      {from: 'lifecycle', to: 'desired', edge: edge('lifecycle/preview.ts')},
      {from: 'planner', to: 'model', edge: edge('planner/plan.ts')},
    ])
    expect(cycles).toEqual(['desired → lifecycle → desired  (src/desired/normalize.ts:1, src/lifecycle/preview.ts:1)'])
  })

  it('has a row for every top-level entry of src/', () => {
    const entries = readdirSync(SRC).map((name) => name.replace(/\.(ts|tsx)$/, ''))
    expect(entries.filter((name) => !allowed.has(name))).toEqual([])
    expect(LAYERS.filter((layer) => !entries.includes(layer.name)).map((layer) => layer.name)).toEqual([])
  })

  it('allows no cycle in the rules themselves, and keeps the pure core off the edges', () => {
    const ruleArrows = LAYERS.flatMap((layer) =>
      (layer.mayImport.includes('*') ? [] : layer.mayImport).map((to) => ({from: layer.name, to, edge: {file: join(ROOT, 'scripts/architecture-rules.mjs'), line: 1, specifier: to}})),
    )
    expect(folderCycles(ruleArrows)).toEqual([])
    for (const layer of PURE_CORE) expect([...allowed.get(layer)!].filter((to) => EDGES.includes(to) || to === '*'), layer).toEqual([])
  })

  it('has no cycle between top-level folders', () => {
    expect(folderCycles(arrows)).toEqual([])
  })

  it('keeps the pure core from importing registry, apply, ui or commands', () => {
    const violations = arrows.filter((a) => PURE_CORE.includes(a.from) && EDGES.includes(a.to)).map((a) => `${at(a.edge)}: ${a.from} → ${a.to} (${a.edge.specifier})`)
    expect(violations).toEqual([])
  })

  it('imports across folders only where the table allows', () => {
    const violations = arrows
      .filter((a) => a.from !== a.to && !allowed.get(a.from)?.has('*') && !allowed.get(a.from)?.has(a.to))
      .map((a) => `${at(a.edge)}: ${a.from} → ${a.to} (${a.edge.specifier}) is not in the table`)
    expect(violations).toEqual([])
  })

  it('imports the AWS SDK only in src/registry, ink and react only in src/ui, diff only in src/render', () => {
    const violations = packages.flatMap(({layer, name, edge}) =>
      RESTRICTED_PACKAGES.filter((rule) => packageMatches(rule.prefix, name) && !rule.allowedIn.includes(layer)).map(
        (rule) => `${at(edge)}: ${name} outside ${rule.allowedIn.map((l) => `src/${l}`).join(', ')} (${rule.why})`,
      ),
    )
    expect(violations).toEqual([])
  })

  it(`keeps every command file within ${MAX_COMMAND_LINES} lines`, () => {
    const long = sourceFiles(join(SRC, 'commands'))
      .map((file) => ({file: relative(ROOT, file), lines: readFileSync(file, 'utf8').replace(/\n$/, '').split('\n').length}))
      .filter(({lines}) => lines > MAX_COMMAND_LINES)
      .map(({file, lines}) => `${file}: ${lines} lines`)
    expect(long).toEqual([])
  })

  it('documents the same table in docs/architecture.md (run `npm run docs:architecture` after changing the rules)', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8')
    const regenerated = withArchitectureTable(doc)
    expect(regenerated, 'docs/architecture.md lost its architecture-table markers').toBeDefined()
    expect(doc).toContain(renderArchitectureTable())
    expect(regenerated).toBe(doc)
  })
})
