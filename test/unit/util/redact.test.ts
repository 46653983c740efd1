import {describe, expect, it} from 'vitest'
import {redactSecrets, redactSecretsDeep} from '../../../src/util/redact.js'

const ACCESS_KEY = 'ASIAQ3EGUBUO7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const TOKEN = `IQoJb3JpZ2luX2VjEXAMPLE${'AbCd1234+/'.repeat(20)}=`

describe('redactSecrets', () => {
  it.each([
    [`Credential=${ACCESS_KEY}/20250101/us-east-1/ecr/aws4_request`, 'Credential=ASIA[REDACTED]/20250101/us-east-1/ecr/aws4_request'],
    [`x-amz-security-token:${TOKEN}\nx-amz-target:X`, 'x-amz-security-token:[REDACTED]\nx-amz-target:X'],
    [`?X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&a=b`, '?X-Amz-Security-Token=[REDACTED]&a=b'],
    [`token ${TOKEN} in prose`, 'token [REDACTED] in prose'],
    [`aws_secret_access_key = ${SECRET}`, 'aws_secret_access_key = [REDACTED]'],
    [`{"SecretAccessKey": "${SECRET}"}`, '{"SecretAccessKey": "[REDACTED]"}'],
    [`the key '${SECRET}' was wrong`, "the key '[REDACTED]' was wrong"],
    ['Signature=' + 'ab'.repeat(32), 'Signature=[REDACTED]'],
    ['http://admin:hunter2@127.0.0.1:5000/x', 'http://[REDACTED]@127.0.0.1:5000/x'],
    ['see https://token@example.com', 'see https://[REDACTED]@example.com'],
  ])('%j → %j', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })

  it.each([
    'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    `commit "${'0123456789abcdef0123'.repeat(2)}" built it`,
    'user@example.com asked for http://127.0.0.1:5000/path',
    'keep rule spaceport/* keep[0]: production image (tag AKIA-like-but-not)',
    'the ECR API at https://api.ecr.us-east-1.amazonaws.com did not answer',
  ])('leaves %j alone', (text) => {
    expect(redactSecrets(text)).toBe(text)
  })

  it('reaches every string of a record', () => {
    expect(redactSecretsDeep({a: [`k ${ACCESS_KEY}`], b: {c: 'http://u:p@h'}, n: 1})).toEqual({a: ['k ASIA[REDACTED]'], b: {c: 'http://[REDACTED]@h'}, n: 1})
  })
})
