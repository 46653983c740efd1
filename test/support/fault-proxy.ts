/**
 * A fault-injecting HTTP proxy for tests and benchmarks: sits in front of the emulator (127.0.0.1
 * only) and, for a configurable share of AWS API requests (those with an X-Amz-Target header),
 * answers ThrottlingException (HTTP 400, AWS JSON error), HTTP 500 or 503, or resets the
 * connection — either before the request reaches the emulator, or after it was executed (the
 * response is lost, so a retry sees the effect: the idempotency case). It can add latency and
 * counts requests per ECR operation. A seed makes the fault sequence deterministic, and a fault
 * limit can make it exact (e.g. lose only the first BatchDeleteImage answer). Never in the
 * default mix: `hang` accepts the request and never answers, like a stuck endpoint;
 * `signatureMismatch` answers 403 SignatureDoesNotMatch quoting the request's canonical form and
 * Authorization header back, as AWS does (plus `echo`), to test that ecrctl redacts them.
 *
 * Test hooks (/_moto_ext, /moto-api) pass through untouched, so setup through the proxy is safe.
 */
import {createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http'

export type Fault = 'throttle' | 'http500' | 'http503' | 'reset' | 'resetAfterForward' | 'hang' | 'signatureMismatch'

export interface FaultProxyOptions {
  /** Where requests go, e.g. the emulator endpoint. */
  target: string
  /** Share of API requests (0–1) that get a fault. */
  faultRate?: number
  /** Which faults, picked uniformly; default all but `hang`. */
  faults?: Fault[]
  /** Added before every API request is forwarded, in ms. */
  latencyMs?: number
  seed?: number
  /** Sent as x-moto-account-id: makes the emulator answer as another AWS account. */
  accountId?: string
  /** Only these operations get faults (e.g. ['BatchDeleteImage']); default every operation. */
  faultOperations?: string[]
  /** At most this many faults, then none (1 with faultRate 1: only the first eligible request); default no limit. */
  faultLimit?: number
  /** Appended to the signatureMismatch message (e.g. a quoted secret key). */
  echo?: string
}

export interface FaultProxy {
  endpoint: string
  /** Requests per ECR operation (e.g. BatchDeleteImage), faulted or not. */
  readonly counts: Record<string, number>
  readonly faultsInjected: Record<Fault, number>
  /** Change the settings of later requests (fault rate, latency, account, operations). */
  configure(options: Partial<Omit<FaultProxyOptions, 'target'>>): void
  resetCounts(): void
  stop(): Promise<void>
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ALL_FAULTS: Fault[] = ['throttle', 'http500', 'http503', 'reset', 'resetAfterForward']
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({__type: type, message})
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': type,
    'x-amzn-requestid': 'fault-proxy',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}

/** AWS's message, which quotes the canonical request (session token included) back to the caller. */
function signatureMismatchMessage(req: IncomingMessage, echo = ''): string {
  const header = (name: string) => String(req.headers[name] ?? '')
  const signed = ['content-type', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target'].filter((name) => req.headers[name] !== undefined)
  return [
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    '',
    'The Canonical String for this request should have been',
    `'${req.method}\n${req.url}\n\n${signed.map((name) => `${name}:${header(name)}`).join('\n')}\n\n${signed.join(';')}'`,
    '',
    `Authorization: ${header('authorization')}`,
    echo,
  ].join('\n')
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const settings = {faultRate: 0, faults: ALL_FAULTS, latencyMs: 0, ...options}
  const random = prng(options.seed ?? 1)
  const target = new URL(options.target)
  const counts: Record<string, number> = {}
  const faultsInjected: Record<Fault, number> = {throttle: 0, http500: 0, http503: 0, reset: 0, resetAfterForward: 0, hang: 0, signatureMismatch: 0}

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, onResponse?: () => boolean): void => {
    const headers: Record<string, string | string[] | undefined> = {...req.headers, host: target.host}
    if (settings.accountId) headers['x-moto-account-id'] = settings.accountId
    const upstream = httpRequest(
      {host: target.hostname, port: target.port, method: req.method, path: req.url, headers},
      (upstreamRes) => {
        // resetAfterForward: the emulator did the work; the client never hears about it.
        if (onResponse && !onResponse()) {
          upstreamRes.resume()
          req.socket.destroy()
          return
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      },
    )
    upstream.on('error', () => req.socket.destroy())
    upstream.end(body)
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      const targetHeader = req.headers['x-amz-target']
      if (typeof targetHeader !== 'string') return forward(req, body, res)
      const operation = targetHeader.split('.').pop() ?? targetHeader
      counts[operation] = (counts[operation] ?? 0) + 1
      if (settings.latencyMs > 0) await sleep(settings.latencyMs)
      const eligible = !settings.faultOperations || settings.faultOperations.includes(operation)
      // Draw both numbers every time so the sequence depends only on the seed and request order.
      const roll = random()
      const pick = random()
      const injected = Object.values(faultsInjected).reduce((sum, n) => sum + n, 0)
      const withinLimit = settings.faultLimit === undefined || injected < settings.faultLimit
      if (!eligible || roll >= settings.faultRate || !withinLimit) return forward(req, body, res)
      const fault = settings.faults[Math.floor(pick * settings.faults.length)]!
      faultsInjected[fault]++
      switch (fault) {
        case 'throttle':
          return awsError(res, 400, 'ThrottlingException', 'Rate exceeded')
        case 'http500':
          return awsError(res, 500, 'ServerException', 'fault proxy: internal error')
        case 'http503':
          return awsError(res, 503, 'ServiceUnavailableException', 'fault proxy: unavailable')
        case 'reset':
          return req.socket.destroy()
        case 'resetAfterForward':
          return forward(req, body, res, () => false)
        case 'signatureMismatch':
          return awsError(res, 403, 'SignatureDoesNotMatch', signatureMismatchMessage(req, settings.echo))
        case 'hang':
          return // the socket stays open and silent until the client gives up or stop() closes it
      }
    })
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    faultsInjected,
    configure(changes) {
      Object.assign(settings, changes)
      settings.faults ??= ALL_FAULTS // `faults: undefined` restores the default mix
    },
    resetCounts() {
      for (const key of Object.keys(counts)) delete counts[key]
      for (const key of Object.keys(faultsInjected) as Fault[]) faultsInjected[key] = 0
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
