/**
 * After an apply: is every multi-arch image that stayed still pullable? An image index is
 * pullable only while every platform manifest it lists exists (`docker pull` otherwise fails with
 * "manifest unknown"), the failure cleanup tools are best known for. Pure: it compares the
 * repositories as re-read after the apply with how they were before it.
 */
import type {BrokenIndex, PullabilityReport} from '../model/apply-result.js'
import type {LiveRepositoryState} from '../model/registry.js'
import {imageEdges} from '../model/image-edges.js'

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
      const {children} = imageEdges(image)
      if (children.length === 0) continue
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
