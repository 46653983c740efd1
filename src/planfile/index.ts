/** What the commands use of the plan file: seal a plan, write it, read it back. */
export {sealPlan} from './seal.js'
export {readPlanFile} from './read.js'
export {writeSealedPlanFile} from './write.js'
