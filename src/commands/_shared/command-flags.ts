/**
 * Flags shared by the commands that talk to AWS (snapshot, plan, apply), and the one place that
 * turns them into connection options. No SDK import here: commands load the registry lazily.
 */
import {Flags} from '@oclif/core'
import type {ConnectionOptions} from '../../registry/client.js'
import type {ManifestReadMode} from '../../registry/read.js'
import {parseDuration} from '../../util/duration.js'

const MAX_TIMEOUT_MS = 60 * 60 * 1000

/** `--timeout`: a duration (`30s`, `2m`) or a bare number of seconds, between 1 s and 1 h. */
export function parseTimeout(text: string): number {
  const trimmed = text.trim()
  const ms = /^\d{1,7}$/.test(trimmed) ? Number(trimmed) * 1000 : parseDuration(trimmed)
  if (ms === undefined || ms < 1000 || ms > MAX_TIMEOUT_MS) {
    throw new Error(`--timeout must be a duration from 1s to 1h such as 30s or 2m (a bare number means seconds), not "${text}"`)
  }
  return ms
}

/** Shared by every command that can talk to AWS (lifecycle preview declares its flags itself). */
export const timeoutFlag = Flags.custom<number>({
  summary:
    'How long one request to ECR may take, connecting included, before it counts as failed and is retried (up to 8 attempts): ' +
    'a duration such as 30s or 2m; a bare number means seconds. Default 30s.',
  helpValue: 'DURATION',
  helpGroup: 'AWS',
  parse: async (input) => parseTimeout(input),
})()

export const connectionFlags = {
  region: Flags.string({
    summary: 'AWS region of the registry (default: AWS_REGION or your profile’s region).',
    helpGroup: 'AWS',
  }),
  profile: Flags.string({
    summary: 'Named AWS profile from ~/.aws/config (default: AWS_PROFILE or the default chain).',
    helpGroup: 'AWS',
  }),
  'endpoint-url': Flags.string({
    summary: 'Send ECR API calls to this URL (e.g. a local emulator). Without it, AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL apply.',
    helpGroup: 'AWS',
    parse: async (input) => {
      let url: URL
      try {
        url = new URL(input)
      } catch {
        throw new Error(`--endpoint-url must be a URL such as http://127.0.0.1:5000, not "${input}"`)
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(`--endpoint-url must start with http:// or https://, not "${input}"`)
      }
      return input
    },
  }),
  concurrency: Flags.integer({
    summary: 'Repositories read (or changed) at the same time.',
    default: 8,
    min: 1,
    max: 64,
    helpGroup: 'AWS',
  }),
  timeout: timeoutFlag,
}

/**
 * `all` by default: the summary's "unique bytes freed" and the estimate built on it need every
 * image's layers (docs/image-graph.md, "True savings"). `references` reads only what the graph needs (faster on registries of
 * plain Docker images); `none` reads nothing and the plan fails closed around every index.
 */
export const DEFAULT_MANIFEST_READ_MODE: ManifestReadMode = 'all'

export const manifestsFlag = Flags.string({
  summary:
    'Which manifests to read: all (layer sizes, for unique bytes freed), references (faster: only indexes and OCI manifests, ' +
    'savings fall back to the sum of image sizes), none (fastest; references unseen, so nothing an index might reference is deleted).',
  options: ['all', 'references', 'none'],
  default: DEFAULT_MANIFEST_READ_MODE,
})

export interface ConnectionFlagValues {
  region?: string
  profile?: string
  'endpoint-url'?: string
  /** Milliseconds, as parsed by timeoutFlag. */
  timeout?: number
}

export function connectionOptionsFromFlags(flags: ConnectionFlagValues): ConnectionOptions {
  const options: ConnectionOptions = {}
  if (flags.region) options.region = flags.region
  if (flags.profile) options.profile = flags.profile
  if (flags['endpoint-url']) options.endpointUrl = flags['endpoint-url']
  if (flags.timeout !== undefined) options.timeoutMs = flags.timeout
  return options
}
