/**
 * What a plan says about itself, checked after its structure. The planner decides each image
 * once, never touches an unmanaged repository, changes a repository's lifecycle policy at most
 * once, and only ever plans a policy ECR accepts; a plan that says otherwise was edited and
 * re-sealed (the checksum algorithm is public), and apply would act on it half-way: delete
 * images, then fail on the policy. Refused when read, with the reason.
 */
import {lifecyclePolicyTextProblems} from '../lifecycle/validate.js'
import type {PlanDocument} from '../model/plan.js'
import {formatPath, type DocumentProblem} from '../document/versioned.js'

export function planContradictions(plan: PlanDocument): DocumentProblem[] {
  const problems: DocumentProblem[] = []
  // digests per repository: no joined key strings for a million images
  const kept = new DigestsByRepository()
  for (const image of plan.kept) kept.add(image.repository, image.imageDigest)
  const unmanaged = new Set(plan.unmanagedRepositories)
  const deleted = new DigestsByRepository()
  const policyActionAt = new Map<string, number>()
  plan.actions.forEach((action, index) => {
    if (unmanaged.has(action.repository)) {
      problems.push({path: ['actions', index, 'repository'], message: 'acts on a repository the plan lists as unmanaged'})
    }
    if (action.type === 'deleteImage') {
      if (kept.has(action.repository, action.imageDigest)) problems.push({path: ['actions', index], message: 'deletes an image the plan also lists as kept'})
      if (!deleted.add(action.repository, action.imageDigest)) problems.push({path: ['actions', index], message: 'deletes an image an earlier action already deletes'})
      return
    }
    const first = policyActionAt.get(action.repository)
    if (first !== undefined) {
      problems.push({
        path: ['actions', index],
        message: `a second lifecycle policy action for repository ${action.repository} (the first is actions[${first}]); a plan changes a policy at most once`,
      })
    } else policyActionAt.set(action.repository, index)
    if (action.type === 'putLifecyclePolicy') {
      const policyProblems = lifecyclePolicyTextProblems(action.after)
      if (policyProblems.length > 0) {
        const shown = policyProblems.slice(0, 3).map((problem) => (problem.path.length === 0 ? problem.message : `${formatPath(problem.path)}: ${problem.message}`))
        problems.push({path: ['actions', index, 'after'], message: `puts a lifecycle policy ECR does not accept: ${shown.join('; ')}`})
      }
    }
  })
  return problems
}

class DigestsByRepository {
  private readonly byRepository = new Map<string, Set<string>>()

  /** False when it was already there. */
  add(repository: string, digest: string): boolean {
    let digests = this.byRepository.get(repository)
    if (digests === undefined) this.byRepository.set(repository, (digests = new Set()))
    if (digests.has(digest)) return false
    digests.add(digest)
    return true
  }

  has(repository: string, digest: string): boolean {
    return this.byRepository.get(repository)?.has(digest) ?? false
  }
}
