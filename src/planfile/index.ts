export {canonicalJson, computePlanChecksum, sealPlan, serializePlan} from './seal.js'
export {parsePlan, readPlanFile} from './read.js'
export {writePlanFile, writeSealedPlanFile} from './write.js'
export {planDocumentSchema} from './schema.js'
