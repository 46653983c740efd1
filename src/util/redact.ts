/**
 * Credentials out of every message and log line ecrctl writes. Registries and
 * proxies quote requests back in their errors: AWS's SignatureDoesNotMatch message holds the
 * canonical request, with the access key id in the Authorization header and the session token in
 * x-amz-security-token; an endpoint URL may carry a password. Redaction keeps the shape
 * (`AKIA[REDACTED]`) so a reader still sees which kind of credential was involved.
 *
 * What is recognised:
 * - access key ids: AKIA / ASIA / ABIA / ACCA and 16 more uppercase letters or digits;
 * - secret access keys in quotes ('…' or "…": 40 base64 characters, not all hex, so a quoted git
 *   commit id stays), and after a name such as aws_secret_access_key= or "SecretAccessKey":;
 * - session tokens after a name (x-amz-security-token:, X-Amz-Security-Token=, aws_session_token=,
 *   "SessionToken":), and bare ones by the prefixes STS gives them (IQoJb3JpZ2lu…, FwoGZXIvYXdz…);
 * - SigV4 signatures (Signature=<64 hex>), which authorise a replay for a few minutes;
 * - URL userinfo (scheme://user:password@host → scheme://[REDACTED]@host).
 */
const REDACTED = '[REDACTED]'

const RULES: Array<[RegExp, string]> = [
  // userinfo first: a password may look like anything below
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${REDACTED}@`],
  [
    /((?:aws_)?(?:secret_access_key|session_token|security_token)|secretaccesskey|sessiontoken|x-amz-security-token)(["']?[ \t]*[:=][ \t]*["']?)[A-Za-z0-9/+=%]{8,}/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=%]{16,}/g, REDACTED],
  [/\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, `$1${REDACTED}`],
  [/(["'])(?=[A-Za-z0-9/+]{0,39}[g-zG-Z/+])[A-Za-z0-9/+]{40}\1/g, `$1${REDACTED}$1`],
  [/\b(Signature=)[0-9a-f]{64}\b/g, `$1${REDACTED}`],
]

/** A quick test before the rules run: most messages hold none of these markers. */
const MAYBE = /AKIA|ASIA|ABIA|ACCA|:\/\/[^\s/]*@|secret|token|IQoJ|FwoG|FQoG|Signature=|["'][A-Za-z0-9/+]{40}["']/i

export function redactSecrets(text: string): string {
  if (!MAYBE.test(text)) return text
  let out = text
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement)
  return out
}

/** The same for every string inside a value (a record about to be written as JSON). */
export function redactSecretsDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T
  if (Array.isArray(value)) return value.map(redactSecretsDeep) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactSecretsDeep(inner)])) as T
  }
  return value
}
