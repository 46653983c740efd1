// The layering of src/, as data: which top-level folder may import which. Two readers hold it:
// test/unit/architecture.test.ts checks every import of src/ against it, and
// scripts/architecture-doc.mjs writes the table in docs/architecture.md from it (the test fails
// when the doc's table differs), so the rule, the check and the doc cannot drift apart.
//
// To add a folder: add a row here (what lives there, what it may import), run
// `npm run docs:architecture`, and commit the three together.

/**
 * One row per top-level entry of src/ (a folder, or `errors` for src/errors.ts). `mayImport` lists
 * other rows; importing within the same folder is always allowed. `packages` lists the npm
 * packages that only this folder may import (see RESTRICTED_PACKAGES).
 */
export const LAYERS = [
  {
    name: 'errors',
    path: 'src/errors.ts',
    role: '`EcrctlError`: summary, detail, next steps, exit code — what every layer throws at a user',
    mayImport: [],
  },
  {
    name: 'document',
    path: 'src/document/',
    role: 'Reading and writing versioned JSON files (plans, snapshots): chunked JSON past V8\'s string limit, kind and version refusals, fast structure check with the strict schema as fallback, atomic writes that never follow a symbolic link',
    mayImport: ['errors'],
  },
  {
    name: 'util',
    path: 'src/util/',
    role: 'Small pure helpers that know nothing of ECR, one home per idea: string order (`order.ts`), time and zoned ISO parsing (`time.ts`), durations (`duration.ts`), words and the untagged text (`words.ts`), short digests (`short-digest.ts`), the bounded pool (`pool.ts`), globs, byte counts, "did you mean"',
    mayImport: ['errors'],
  },
  {
    name: 'model',
    path: 'src/model/',
    role: 'The contracts: `LiveSnapshot`, `DesiredState` (and which entries govern a repository), `PlanDocument`, lifecycle forecasts, apply events, the apply port, the apply result; ECR facts and limits (`ecr-facts.ts`) and an image\'s edges (`image-edges.ts`), which every layer reads',
    mayImport: ['util', 'errors'],
  },
  {
    name: 'desired',
    path: 'src/desired/',
    role: 'YAML → validated `DesiredState` (zod schema, file:line:column errors)',
    mayImport: ['model', 'lifecycle', 'util', 'errors'],
  },
  {
    name: 'graph',
    path: 'src/graph/',
    role: 'The image reference graph: indexes, referrers, signatures; what an image drags along',
    mayImport: ['model', 'util', 'errors'],
  },
  {
    name: 'lifecycle',
    path: 'src/lifecycle/',
    role: 'ECR lifecycle policy semantics: structure schema, validation, canonical form, offline evaluator, conflict finder',
    mayImport: ['model', 'util', 'errors'],
  },
  {
    name: 'inuse',
    path: 'src/inuse/',
    role: 'In-use evidence: image references in text, code and kubectl JSON, resolved against a snapshot; scan files (read with `document`\'s refusals). Pure except `code-files.ts`, which walks code directories',
    mayImport: ['model', 'document', 'util', 'errors'],
  },
  {
    name: 'planner',
    path: 'src/planner/',
    role: '**Where a deletion is decided.** (desired state, snapshot, clock) → plan, with lifecycle actions; the lifecycle preview',
    mayImport: ['model', 'graph', 'lifecycle', 'util', 'errors'],
  },
  {
    name: 'planfile',
    path: 'src/planfile/',
    role: 'The plan file: schema, seal (checksum), write in pieces, read and verify (a plan that puts a policy ECR refuses is refused when read)',
    mayImport: ['model', 'lifecycle', 'document', 'util', 'errors'],
  },
  {
    name: 'render',
    path: 'src/render/',
    role: '**Where text is produced**, from structured data: plan text/markdown/json, lifecycle preview, apply progress lines and summary',
    mayImport: ['model', 'planfile', 'util', 'errors'],
  },
  {
    name: 'registry',
    path: 'src/registry/',
    role: '**Where an AWS call is made**: the ECR adapter (read a snapshot, identity, the apply port), snapshot files',
    mayImport: ['model', 'document', 'util', 'errors'],
  },
  {
    name: 'kubernetes',
    path: 'src/kubernetes/',
    role: '**Where a Kubernetes API call is made**: a kubeconfig context\'s pods and workload pod templates, read live as in-use evidence (load lazily: it pulls in the client)',
    mayImport: ['inuse', 'model', 'util', 'errors'],
  },
  {
    name: 'scan',
    path: 'src/scan/',
    role: 'The scan use case: runs the configured in-use sources (AWS, Kubernetes, kubectl files, code) into references (`collect.ts`, for `scan` and `plan` alike) and writes scan files (`run.ts`)',
    mayImport: ['inuse', 'registry', 'kubernetes', 'document', 'model', 'util', 'errors'],
  },
  {
    name: 'apply',
    path: 'src/apply/',
    role: 'The apply use case (`session.ts`): pure precondition checks, re-deriving every action with the planner (`rederive.ts`), confirmation decision, executor, pullability check, audit log',
    mayImport: ['model', 'planner', 'graph', 'lifecycle', 'document', 'util', 'errors'],
  },
  {
    name: 'ui',
    path: 'src/ui/',
    role: 'Ink components and the terminal ports of apply (prompt, live progress): props in, callbacks out',
    mayImport: ['apply', 'model', 'util', 'errors'],
  },
  {
    name: 'commands',
    path: 'src/commands/',
    role: 'oclif commands (≤ 120 lines each): parse flags, wire ports, render, exit; shared flags and base class in `_shared/`',
    mayImport: ['*'],
  },
]

/** The pure core: deterministic, no I/O of its own; it never reaches into the edges. */
export const PURE_CORE = ['errors', 'util', 'model', 'desired', 'graph', 'lifecycle', 'planner', 'planfile', 'render']
export const EDGES = ['registry', 'kubernetes', 'scan', 'apply', 'ui', 'commands']

/** npm packages (by prefix) that only the listed folders may import. */
export const RESTRICTED_PACKAGES = [
  {prefix: '@aws-sdk/', allowedIn: ['registry'], why: 'the AWS SDK stays behind the adapter (and off the start-up path)'},
  {prefix: '@kubernetes/', allowedIn: ['kubernetes'], why: 'the Kubernetes client stays behind its adapter (and off the start-up path)'},
  {prefix: 'ink', allowedIn: ['ui'], why: 'terminal components live in src/ui'},
  {prefix: 'react', allowedIn: ['ui'], why: 'terminal components live in src/ui'},
  {prefix: 'diff', allowedIn: ['render'], why: 'text diffs are rendering'},
]

/** Command files (src/commands/**) longer than this hide a use case that deserves its own module. */
export const MAX_COMMAND_LINES = 120

const BEGIN = '<!-- architecture-table:begin (generated from scripts/architecture-rules.mjs by `npm run docs:architecture`) -->'
const END = '<!-- architecture-table:end -->'

export function renderArchitectureTable() {
  const lines = ['| Folder | What lives there | May import |', '|---|---|---|']
  for (const layer of LAYERS) {
    const imports = layer.mayImport.includes('*') ? 'everything (heavy parts lazily)' : layer.mayImport.length === 0 ? 'nothing' : layer.mayImport.map((name) => `\`${name}\``).join(', ')
    const packages = RESTRICTED_PACKAGES.filter((entry) => entry.allowedIn.includes(layer.name)).map((entry) => `\`${entry.prefix.replace(/\/$/, '/*')}\``)
    lines.push(`| \`${layer.path}\` | ${layer.role} | ${imports}${packages.length > 0 ? `; the only importer of ${packages.join(', ')}` : ''} |`)
  }
  return `${BEGIN}\n${lines.join('\n')}\n${END}`
}

/** The doc with its generated table replaced by `table`; undefined when the markers are missing. */
export function withArchitectureTable(doc, table = renderArchitectureTable()) {
  const begin = doc.indexOf(BEGIN.slice(0, 30))
  const end = doc.indexOf(END)
  if (begin < 0 || end < begin) return undefined
  return doc.slice(0, begin) + table + doc.slice(end + END.length)
}
