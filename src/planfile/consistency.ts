/**
 * What a plan says about itself, checked after its structure. The planner decides each image
 * once and never touches an unmanaged repository; a plan that says otherwise was edited and
 * re-sealed (the checksum algorithm is public). Refused when read, with the reason.
 */
import type {PlanDocument} from '../model/plan.js'
import type {DocumentProblem} from '../document/versioned.js'

export function planContradictions(plan: PlanDocument): DocumentProblem[] {
  const problems: DocumentProblem[] = []
  const imageKey = (repository: string, digest: string): string => `${repository}\u0000${digest}`
  const kept = new Set(plan.kept.map((image) => imageKey(image.repository, image.imageDigest)))
  const unmanaged = new Set(plan.unmanagedRepositories)
  const deleted = new Set<string>()
  plan.actions.forEach((action, index) => {
    if (unmanaged.has(action.repository)) {
      problems.push({path: ['actions', index, 'repository'], message: 'acts on a repository the plan lists as unmanaged'})
    }
    if (action.type === 'deleteImage') {
      const key = imageKey(action.repository, action.imageDigest)
      if (kept.has(key)) problems.push({path: ['actions', index], message: 'deletes an image the plan also lists as kept'})
      if (deleted.has(key)) problems.push({path: ['actions', index], message: 'deletes an image an earlier action already deletes'})
      deleted.add(key)
    }
  })
  return problems
}
