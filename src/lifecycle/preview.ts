/**
 * `ecrctl lifecycle preview`: the evaluator's view of one repository, without planning. Picks the
 * policy that matters (the desired one if an entry declares it, else the live one), evaluates it
 * over the repository's current images, and renders one line per image. Pure.
 */
import {matchingEntries} from '../desired/entries.js'
import {EcrctlError} from '../errors.js'
import type {DesiredState, LifecyclePolicyDoc} from '../model/desired.js'
import type {LiveSnapshot} from '../model/snapshot.js'
import {parsePolicyText} from './canonical.js'
import {evaluateLifecyclePolicy, type ImageForecast, lifecycleFigures, type LifecycleFigures} from './evaluate.js'

export interface LifecyclePreview {
  repository: string
  evaluatedAt: string
  policySource: 'desired' | 'live' | 'none'
  policy?: LifecyclePolicyDoc
  images: Array<ImageForecast & {tags: string[]; pushedAt: string}>
  figures?: LifecycleFigures
}

export function previewLifecycle(desired: DesiredState, snapshot: LiveSnapshot, repositoryName: string, now: Date): LifecyclePreview {
  const repository = snapshot.repositories.find((candidate) => candidate.name === repositoryName)
  if (!repository) {
    throw new EcrctlError(`Repository ${repositoryName} is not in the live state.`, {nextSteps: ['Check the name with `ecrctl snapshot --all`, or pass the snapshot that contains it.']})
  }
  if (!repository.imagesRead) {
    throw new EcrctlError(`The live state does not include the images of ${repositoryName}.`, {nextSteps: [`Re-take it with \`ecrctl snapshot --all\`, or read the registry directly (omit --live-state).`]})
  }
  const declaring = matchingEntries(desired, repositoryName).filter((entry) => entry.lifecycle !== undefined)
  let policySource: LifecyclePreview['policySource'] = 'none'
  let policy: LifecyclePolicyDoc | undefined
  if (declaring.length > 0) {
    const declared = declaring[0]!.lifecycle!
    if (declared !== 'none') {
      policy = declared
      policySource = 'desired'
    }
  } else if (repository.lifecyclePolicy !== null) {
    const parsed = parsePolicyText(repository.lifecyclePolicy)
    if ('error' in parsed) throw new EcrctlError(`The live lifecycle policy of ${repositoryName} could not be read: ${parsed.error}.`)
    policy = parsed.doc
    policySource = 'live'
  }
  const base = {repository: repositoryName, evaluatedAt: now.toISOString(), policySource}
  const byDigest = new Map(repository.images.map((image) => [image.digest, image]))
  if (!policy) {
    return {...base, images: repository.images.map((image) => ({digest: image.digest, now: null, tags: image.tags, pushedAt: image.pushedAt}))}
  }
  const evaluation = evaluateLifecyclePolicy(policy, repository.images, now)
  return {
    ...base,
    policy,
    images: evaluation.forecasts.map((forecast) => ({...forecast, tags: byDigest.get(forecast.digest)!.tags, pushedAt: byDigest.get(forecast.digest)!.pushedAt})),
    figures: lifecycleFigures(evaluation, now),
  }
}

function outcome(image: LifecyclePreview['images'][number]): string {
  if (image.now) return `${image.now.action.toUpperCase()} by rule ${image.now.rulePriority}${image.now.withSubject ? ` (with its subject ${image.now.withSubject.slice(0, 19)}…)` : ''}`
  if (image.shieldedAs === 'indexChild') return 'kept: child of an index in the repository'
  if (image.shieldedAs === 'referrer') return 'kept: follows its subject'
  if (image.shieldedAs === 'activating') return 'kept: being restored from archive'
  if (!image.claimedBy) return 'kept: no rule selects it'
  const rule = `rule ${image.claimedBy.rulePriority} (${image.claimedBy.action})`
  if (image.afterPushes !== undefined) return `kept: ${rule} acts after ${image.afterPushes} more matching ${image.afterPushes === 1 ? 'push' : 'pushes'}`
  if (image.at !== undefined) return `kept: ${rule} acts on ${image.at.slice(0, 10)}`
  return `kept: ${rule}`
}

/** Plain text, one line per image, newest push first, then the near-expiry figures. */
export function renderLifecyclePreview(preview: LifecyclePreview): string {
  const lines = [`Lifecycle preview of ${preview.repository} at ${preview.evaluatedAt} (${preview.policySource === 'none' ? 'no policy' : `${preview.policySource} policy`})`]
  const images = [...preview.images].sort((a, b) => Date.parse(b.pushedAt) - Date.parse(a.pushedAt) || (a.digest < b.digest ? -1 : 1))
  for (const image of images) {
    lines.push(`  ${image.digest.slice(0, 19)}…  ${image.pushedAt.slice(0, 10)}  ${(image.tags.length > 0 ? image.tags.join(',') : '<untagged>').padEnd(28)}  ${outcome(image)}`)
  }
  if (preview.figures) {
    const f = preview.figures
    lines.push('', `Now: ${f.expireNow} expired, ${f.transitionNow} archived. Within ${f.pushWindow} pushes: ${f.withinPushes} more. Within ${f.dayWindow} days: ${f.withinDays} more.`)
  }
  return `${lines.join('\n')}\n`
}
