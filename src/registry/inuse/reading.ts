/**
 * What every in-use scanner shares: calls that fail closed with the IAM action to grant, complete
 * paging, a bounded pool, and the sorted, de-duplicated list of candidate strings it returns.
 */
import type {CandidateString, InUseSource} from '../../model/in-use.js'
import type {AwsInUseSource} from './clients.js'
import {incompleteReadError, scanReadError} from './errors.js'

export const DEFAULT_SCAN_CONCURRENCY = 8

/**
 * One scanner's calls. At most `concurrency` calls are in flight across the whole source, however
 * the scanner nests its loops (clusters → services → task definitions). After the first failure
 * no new call starts: the scan is lost anyway, and the first error is the one reported.
 */
/** Recognises the error a service gives for a resource deleted since it was listed. */
export type GoneTest = (error: unknown) => boolean

export const errorNamed =
  (...names: string[]): GoneTest =>
  (error) =>
    names.includes((error as {name?: string} | undefined)?.name ?? '')

export class SourceReader {
  private inFlight = 0
  private readonly queue: Array<() => void> = []
  private failure: Error | undefined

  constructor(
    readonly source: AwsInUseSource,
    readonly concurrency: number = DEFAULT_SCAN_CONCURRENCY,
  ) {}

  /**
   * One API call; any failure becomes an error naming this source, the resource and the IAM
   * action. With `gone`, an error it recognises (the resource was deleted since it was listed: it
   * is no longer in use) gives undefined instead.
   */
  call<T>(permission: string, resource: string, send: () => Promise<T>): Promise<T>
  call<T>(permission: string, resource: string, send: () => Promise<T>, gone: GoneTest): Promise<T | undefined>
  async call<T>(permission: string, resource: string, send: () => Promise<T>, gone?: GoneTest): Promise<T | undefined> {
    await this.slot()
    try {
      if (this.failure) throw this.failure
      return await send()
    } catch (error) {
      if (gone && error !== this.failure && gone(error)) return undefined
      const failure = scanReadError(error, {source: this.source, permission, resource})
      this.failure ??= failure
      throw failure
    } finally {
      this.inFlight--
      this.queue.shift()?.()
    }
  }

  private async slot(): Promise<void> {
    if (this.inFlight >= Math.max(1, this.concurrency)) await new Promise<void>((resolve) => this.queue.push(resolve))
    this.inFlight++
  }

  /**
   * Every page of a listing, in order. Stops early only when `enough` says so (e.g. the newest N
   * revisions were read), or when `gone` recognises an error (the listed resource was deleted: no
   * items). A page token seen twice would loop forever or skip pages: refused.
   */
  async pages<P, T>(
    permission: string,
    resource: string,
    request: (token: string | undefined) => Promise<P>,
    read: (page: P) => {items: readonly T[] | undefined; next: string | undefined},
    options: {enough?: (collected: readonly T[]) => boolean; gone?: GoneTest} = {},
  ): Promise<T[]> {
    const collected: T[] = []
    const seen = new Set<string>()
    const enough = options.enough ?? (() => false)
    let token: string | undefined
    for (;;) {
      const answer = options.gone ? await this.call(permission, resource, () => request(token), options.gone) : await this.call(permission, resource, () => request(token))
      if (answer === undefined) return [] // deleted while being read: nothing of it is in use
      const page = read(answer)
      collected.push(...(page.items ?? []))
      if (!page.next || enough(collected)) return collected
      if (seen.has(page.next)) {
        throw incompleteReadError(this.source, resource, `${permission} returned the same page token twice`, 'Retry; if it persists, report it to AWS support with the operation named here.')
      }
      seen.add(page.next)
      token = page.next
    }
  }

  /** `fn` over every item; the calls inside are bounded by `call`, so nesting stays bounded. */
  async each<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
    await Promise.all(items.map(fn))
  }
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = []
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size))
  return result
}

/** Collects what a scanner finds; `sorted()` is its deterministic result. */
export class CandidateList {
  private readonly byKey = new Map<string, CandidateString>()

  constructor(private readonly source: InUseSource) {}

  /** A field that holds exactly one image reference (e.g. `containers[0].image`). */
  exact(value: string | undefined | null, resource: string, field: string): void {
    this.add(value, resource, field, true)
  }

  /** Free text that may contain references (an environment value, a JSON definition). */
  text(value: string | undefined | null, resource: string, field: string): void {
    this.add(value, resource, field, false)
  }

  /** Every value of a `{NAME: value}` map as free text, field `<prefix>.NAME`. */
  textMap(values: Record<string, string | undefined> | undefined, resource: string, prefix: string): void {
    for (const [name, value] of Object.entries(values ?? {})) this.text(value, resource, `${prefix}.${name}`)
  }

  /**
   * A JSON document (a state machine or pipeline definition): every string in it as text, with
   * its JSON path under `field` (`definition.States.Train.Parameters.Image`), so escapes are
   * undone and the evidence says where in the document the reference is. Not JSON: the whole text.
   */
  jsonText(document: string | undefined | null, resource: string, field: string): void {
    if (typeof document !== 'string') return
    let parsed: unknown
    try {
      parsed = JSON.parse(document)
    } catch {
      this.text(document, resource, field)
      return
    }
    const walk = (node: unknown, path: string): void => {
      if (typeof node === 'string') this.text(node, resource, path)
      else if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${path}[${index}]`))
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) walk(value, /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`)
      }
    }
    walk(parsed, field)
  }

  private add(value: string | undefined | null, resource: string, field: string, exact: boolean): void {
    if (typeof value !== 'string' || value.trim() === '') return
    const candidate: CandidateString = {value, evidence: {source: this.source, resource, field}, exact}
    this.byKey.set(JSON.stringify([resource, field, value, exact]), candidate)
  }

  sorted(): CandidateString[] {
    return sortCandidates([...this.byKey.values()])
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** By source, resource, field, value (code-unit order, never locale): equal inputs, equal output. */
export function sortCandidates(candidates: readonly CandidateString[]): CandidateString[] {
  return [...candidates].sort(
    (a, b) =>
      compare(a.evidence.source, b.evidence.source) ||
      compare(a.evidence.resource, b.evidence.resource) ||
      compare(a.evidence.field, b.evidence.field) ||
      compare(a.value, b.value) ||
      Number(a.exact) - Number(b.exact),
  )
}

/** `repo:tag@sha256:…` → `repo@<digest>`: the image a container runs, pinned to its digest. */
export function pinnedToDigest(image: string, digest: string): string {
  const name = image.split('@', 1)[0]!
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  return `${colon > slash ? name.slice(0, colon) : name}@${digest}`
}
