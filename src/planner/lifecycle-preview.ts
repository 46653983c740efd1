/**
 * `ecrctl lifecycle preview`: the evaluator's view of one repository, without planning. Picks the
 * policy that matters (the desired one if an entry declares it, else the live one) and evaluates it
 * over the repository's current images. Pure; src/render/lifecycle-preview.ts words the result.
 */
import {matchingEntries} from '../model/desired-entries.js'
import {EcrctlError} from '../errors.js'
import type {DesiredState, LifecyclePolicyDoc} from '../model/desired.js'
import type {LiveSnapshot} from '../model/snapshot.js'
import {parsePolicyText} from '../lifecycle/canonical.js'
import {evaluateLifecyclePolicy, lifecycleFigures} from '../lifecycle/evaluate.js'
import type {LifecyclePreview} from '../model/lifecycle-forecast.js'

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
