import {describe, expect, it} from 'vitest'
import {evaluateLifecyclePolicy, lifecycleFigures} from '../../../src/lifecycle/evaluate.js'
import {NOW, actedOn, daysAgo, digestOf, image, policy, rule} from './builders.js'

describe('evaluateLifecyclePolicy beyond the guide examples (emulator: moto never runs policies)', () => {
  it('sinceImagePulled uses the last pull, falls back to push time, and to lastActivatedAt for restored images', () => {
    const images = [
      image('pulled-recently', ['a'], 100, {lastPulledAt: daysAgo(5)}),
      image('pulled-long-ago', ['b'], 100, {lastPulledAt: daysAgo(40)}),
      image('never-pulled-old', ['c'], 40),
      image('never-pulled-new', ['d'], 10),
      image('restored-not-pulled', ['e'], 100, {lastPulledAt: daysAgo(200), lastActivatedAt: daysAgo(3)}),
    ]
    const p = policy(rule(1, {tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30}, {type: 'transition', targetStorageClass: 'archive'}))
    expect(actedOn(p, images, 'transition')).toEqual(['never-pulled-old', 'pulled-long-ago'])
  })

  it('archive rules select only archived images, and sinceImageTransitioned counts from lastArchivedAt with the 90-day minimum', () => {
    const images = [
      image('standard-old', [], 900),
      image('archived-long', [], 900, {status: 'ARCHIVED', lastArchivedAt: daysAgo(400)}),
      image('archived-recent', [], 900, {status: 'ARCHIVED', lastArchivedAt: daysAgo(60)}),
    ]
    const p = policy(rule(1, {tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 30}))
    expect(actedOn(p, images)).toEqual(['archived-long'])
  })

  it('a standard rule never ranks or acts on archived images', () => {
    const images = [image('new', [], 1), image('archived', [], 50, {status: 'ARCHIVED', lastArchivedAt: daysAgo(10)}), image('old', [], 2)]
    const p = policy(rule(1, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1}))
    expect(actedOn(p, images)).toEqual(['old'])
  })

  it('never acts on the children of an index present in the repository, nor ranks them', () => {
    const child1 = digestOf('child-amd64')
    const child2 = digestOf('child-arm64')
    const images = [
      image('index', ['v2'], 1, {manifest: {mediaType: 'application/vnd.oci.image.index.v1+json', children: [child1, child2]}}),
      image('child-amd64', [], 1),
      image('child-arm64', [], 1),
      image('old-single', ['v1'], 5),
    ]
    const p = policy(rule(1, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1}))
    // Children neither take the one slot nor expire: the index is newest, the old image goes.
    expect(actedOn(p, images)).toEqual(['old-single'])
    const evaluation = evaluateLifecyclePolicy(p, images, NOW)
    expect(evaluation.forecasts.find((f) => f.digest === child1)?.shieldedAs).toBe('indexChild')
  })

  it('referrers go with their subject', () => {
    const images = [
      image('subject-old', ['v1'], 30),
      image('signature', [], 29, {subjectDigest: digestOf('subject-old')}),
      image('subject-new', ['v2'], 1),
    ]
    const p = policy(rule(1, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1}))
    expect(actedOn(p, images)).toEqual(['signature', 'subject-old'])
  })

  it('a cosign-tagged signature is an ordinary tagged image to ECR: tag rules act on it, it does not follow its subject', () => {
    const subject = digestOf('subject')
    const images = [
      image('subject', ['v1'], 1),
      image('cosign-sig', [`sha256-${subject.slice(7)}.sig`], 30),
      image('oci-sig', [], 30, {subjectDigest: subject, manifest: {mediaType: 'application/vnd.oci.image.manifest.v1+json', subject}}),
    ]
    const p = policy(rule(1, {tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}))
    // The OCI referrer follows its (young) subject and stays; the cosign signature ages out on its own.
    expect(actedOn(p, images)).toEqual(['cosign-sig'])
    const forecasts = evaluateLifecyclePolicy(p, images, NOW).forecasts
    expect(forecasts.find((f) => f.digest === digestOf('oci-sig'))?.shieldedAs).toBe('referrer')
    expect(forecasts.find((f) => f.digest === digestOf('cosign-sig'))?.shieldedAs).toBeUndefined()
  })

  it('a referrer follows the subject ECR reports (subjectManifestDigest) when the manifest says otherwise', () => {
    const images = [
      image('reported', ['v1'], 30),
      image('in-manifest', ['v2'], 1),
      image('sig', [], 1, {subjectDigest: digestOf('reported'), manifest: {mediaType: 'application/vnd.oci.image.manifest.v1+json', subject: digestOf('in-manifest')}}),
    ]
    const p = policy(rule(1, {tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14}))
    const sig = evaluateLifecyclePolicy(p, images, NOW).forecasts.find((f) => f.digest === digestOf('sig'))
    expect(sig?.now).toMatchObject({action: 'expire', withSubject: digestOf('reported')})
  })

  it('forecasts pushes until a count rule acts and the time until a since rule acts', () => {
    const images = [image('n1', ['v3'], 1), image('n2', ['v2'], 2), image('n3', ['v1'], 3), image('u', [], 5)]
    const p = policy(
      rule(1, {tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 10}),
      rule(2, {tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3}),
    )
    const evaluation = evaluateLifecyclePolicy(p, images, NOW)
    const byName = (name: string) => evaluation.forecasts.find((f) => f.digest === digestOf(name))!
    // The untagged image occupies a slot in rule 2's ranking but belongs to rule 1.
    expect(byName('n1').afterPushes).toBe(3)
    expect(byName('n3').afterPushes).toBe(1)
    expect(Date.parse(byName('u').at!)).toBeGreaterThan(NOW.getTime() + 4 * 86_400_000)
    expect(Date.parse(byName('u').at!)).toBeLessThan(NOW.getTime() + 6 * 86_400_000)
    expect(lifecycleFigures(evaluation, NOW)).toMatchObject({expireNow: 0, withinPushes: 3, withinDays: 1})
  })
})
