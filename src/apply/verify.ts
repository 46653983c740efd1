/**
 * After an apply: is every multi-arch image that stayed still pullable? An image index is
 * pullable only while every platform manifest it lists exists (`docker pull` otherwise fails with
 * "manifest unknown"), the failure cleanup tools are best known for. Pure: it compares the
 * repositories as re-read after the apply with how they were before it.
 */
import type {LiveRepositoryState} from './preconditions.js'

export interface BrokenIndex {
  repository: string
  indexDigest: string
  indexTags: string[]
  /** Children listed by the index that are not in the repository now. */
  missingChildren: string[]
  /** True when at least one missing child existed before this apply: the apply broke it. */
  causedByApply: boolean
}

export interface PullabilityReport {
  repositories: number
  indexesChecked: number
  broken: BrokenIndex[]
}

export function verifyPullability(
  before: ReadonlyMap<string, LiveRepositoryState>,
  after: readonly LiveRepositoryState[],
): PullabilityReport {
  const broken: BrokenIndex[] = []
  let indexesChecked = 0
  for (const state of after) {
    if (!state.exists) continue
    const present = new Set(state.images.map((image) => image.digest))
    const presentBefore = new Set((before.get(state.repository)?.images ?? []).map((image) => image.digest))
    for (const image of state.images) {
      const children = image.manifest?.children
      if (children === undefined || children.length === 0) continue
      indexesChecked += 1
      const missingChildren = children.filter((child) => !present.has(child))
      if (missingChildren.length === 0) continue
      broken.push({
        repository: state.repository,
        indexDigest: image.digest,
        indexTags: [...image.tags],
        missingChildren,
        causedByApply: missingChildren.some((child) => presentBefore.has(child)),
      })
    }
  }
  return {repositories: after.filter((state) => state.exists).length, indexesChecked, broken}
}

/** One line when all is well; one line per broken index otherwise. */
export function formatPullability(report: PullabilityReport): string {
  if (report.broken.length === 0) {
    return `Pullability check: ${report.indexesChecked} multi-arch ${report.indexesChecked === 1 ? 'index' : 'indexes'} in ${report.repositories} touched ${report.repositories === 1 ? 'repository' : 'repositories'}, every platform manifest present.`
  }
  const lines = [`Pullability check FAILED: ${report.broken.length} of ${report.indexesChecked} multi-arch indexes list platform manifests that are gone:`]
  for (const index of report.broken) {
    const tags = index.indexTags.length > 0 ? ` (${index.indexTags.join(', ')})` : ''
    const blame = index.causedByApply ? 'deleted by this apply' : 'already missing before this apply'
    lines.push(`  - ${index.repository}@${index.indexDigest}${tags}: ${index.missingChildren.join(', ')} ${blame}`)
  }
  return lines.join('\n')
}
