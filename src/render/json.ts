import type {PlanDocument} from '../model/plan.js'
import {serializePlan} from '../planfile/seal.js'

/** The JSON rendering is the plan file itself, byte for byte. */
export function renderJson(plan: PlanDocument): string {
  return serializePlan(plan)
}
