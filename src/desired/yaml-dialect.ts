/**
 * The YAML a desired-state file may use: YAML 1.2 with the core schema, nothing else. Checked on
 * the parsed document, before it becomes data, so each problem is reported at its line rather
 * than escaping as a raw exception or silently changing a value:
 *
 * - a `%YAML` directive other than 1.2 is refused: under YAML 1.1 `newest: 010` is 8 and `yes`
 *   is true, so a file written for 1.1 would not mean what its author expects when read as 1.2;
 * - explicit tags other than the core schema's (`!!str`, `!!int`, …, and `!`) are refused:
 *   `!foo` would be ignored and `!!binary`, `!!set` or `!!timestamp` would make values no schema
 *   rule expects;
 * - an alias whose anchor is not defined before it, an alias inside the node it names (a cycle),
 *   and aliases that expand the document by more than MAX_ALIAS_EXPANSION values (the "billion
 *   laughs" bomb) are refused at the alias;
 * - keys must be plain values, and `__proto__` is refused as a key: turned into data it would
 *   vanish (or change an object's prototype) instead of being checked, and no ECR repository
 *   can have that name.
 */
import {type Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Node, visit} from 'yaml'

export interface DialectProblem {
  /** Offset in the text where the problem is shown. */
  offset: number
  message: string
}

/** Values that aliases may add to a document beyond those written out. */
export const MAX_ALIAS_EXPANSION = 10_000

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`))

const shownTag = (tag: string): string => tag.replace(/^tag:yaml\.org,2002:/, '!!')

export function yamlDialectProblems(doc: Document, text: string): DialectProblem[] {
  const problems: DialectProblem[] = []

  const directive = doc.directives?.yaml
  if (directive?.explicit && directive.version !== '1.2') {
    const at = /^%YAML\b/m.exec(text)
    problems.push({
      offset: at?.index ?? 0,
      message:
        `"%YAML ${directive.version}": ecrctl reads YAML 1.2 only (core schema), where 010 is the number 10 and yes/no are strings; ` +
        'under YAML 1.1 they would mean 8 and true/false. Remove the %YAML line (or write %YAML 1.2) and check such values',
    })
  }
  for (const warning of doc.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') continue // reported below, at the node, with the fix
    problems.push({offset: warning.pos[0], message: `YAML: ${warning.message}`})
  }

  // Anchors in document order: an alias names the last anchor of that name before it.
  const anchors = new Map<string, Node>()
  const aliasTargets = new Map<Node, Node>()
  const aliases: Node[] = []
  visit(doc, {
    Pair(_key, pair, path) {
      const key = pair.key as Node | null
      if (key && !isScalar(key) && !isAlias(key)) {
        problems.push({offset: key.range?.[0] ?? 0, message: 'a key must be a plain value (a name), not a list or a mapping'})
      } else if (key && isScalar(key) && key.value === '__proto__') {
        const parentPair = path.at(-2)
        const inRepositories = isPair(parentPair) && isScalar(parentPair.key) && parentPair.key.value === 'repositories' && path.length === 4
        problems.push({
          offset: key.range?.[0] ?? 0,
          message: inRepositories
            ? '"__proto__" is not a repository name: ECR repository names start with a lowercase letter or a digit'
            : 'the key "__proto__" is not allowed',
        })
      }
    },
    Node(_key, node) {
      const tag = node.tag
      if (tag !== undefined && tag !== '!' && !CORE_TAGS.has(tag)) {
        problems.push({
          offset: tagOffset(text, node.range?.[0] ?? 0),
          message: `the tag ${shownTag(tag)} is not allowed: desired-state files use plain YAML 1.2 values (core schema); remove the tag`,
        })
      }
      if (isAlias(node)) {
        const target = anchors.get(node.source)
        if (target === undefined) {
          problems.push({
            offset: node.range?.[0] ?? 0,
            message: `the alias *${node.source} has no anchor &${node.source} before it: define "&${node.source}" on a value above this line`,
          })
        } else {
          aliasTargets.set(node, target)
          aliases.push(node)
        }
      } else if (node.anchor) {
        anchors.set(node.anchor, node)
      }
    },
  })
  if (aliases.length > 0) problems.push(...aliasExpansionProblems(doc, aliasTargets, aliases))
  return problems
}

/**
 * Counts the values each node stands for once its aliases are expanded (memoised, so the count
 * itself is linear in the document), and refuses cycles and expansions past the limit.
 */
function aliasExpansionProblems(doc: Document, aliasTargets: Map<Node, Node>, aliases: Node[]): DialectProblem[] {
  const expanded = new Map<Node, number>()
  const inProgress = new Set<Node>()
  const cycles: DialectProblem[] = []
  const count = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 0
    if (isPair(node)) return count(node.key) + count(node.value)
    const known = expanded.get(node as Node)
    if (known !== undefined) return known
    if (inProgress.has(node as Node)) return 0
    inProgress.add(node as Node)
    let total = 1
    if (isAlias(node)) {
      const target = aliasTargets.get(node)
      if (target && inProgress.has(target)) {
        cycles.push({offset: node.range?.[0] ?? 0, message: `the alias *${node.source} is inside the value it names, which would make it endless`})
      } else {
        total = target ? count(target) : 0
      }
    } else if (isCollection(node) && (isMap(node) || isSeq(node))) {
      for (const item of node.items) total += count(item)
    }
    inProgress.delete(node as Node)
    expanded.set(node as Node, total)
    return total
  }
  count(doc.contents)
  if (cycles.length > 0) return cycles

  let largest = aliases[0]!
  for (const alias of aliases) if ((expanded.get(alias) ?? 0) > (expanded.get(largest) ?? 0)) largest = alias
  const total = expanded.get(doc.contents as Node) ?? 0
  if (total - writtenValues(doc) <= MAX_ALIAS_EXPANSION) return []
  return [
    {
      offset: largest.range?.[0] ?? 0,
      message:
        `aliases expand this file to ${total.toLocaleString('en-US')} values, more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} beyond those written ` +
        `(the alias *${(largest as {source?: string}).source ?? ''} here alone stands for ${(expanded.get(largest) ?? 0).toLocaleString('en-US')}): ` +
        'write the values out, or use fewer nested aliases',
    },
  ]
}

/** Where the tag of the value at `valueOffset` starts (a node's range starts after its tag and anchor). */
function tagOffset(text: string, valueOffset: number): number {
  const before = text.slice(Math.max(0, valueOffset - 1000), valueOffset)
  const match = /!\S*\s+(?:&\S+\s+)?$/.exec(before)
  return match ? valueOffset - (before.length - match.index) : valueOffset
}

/** Values written in the document, each alias counting as one. */
function writtenValues(doc: Document): number {
  let count = 0
  visit(doc, {
    Node() {
      count += 1
    },
  })
  return count
}
