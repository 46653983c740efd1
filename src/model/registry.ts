/**
 * What apply knows about the registry it changes: which one it is, and the fresh state of each
 * repository a plan touches. Produced by the registry adapter, consumed by apply's checks.
 */
import type {LiveImage} from './snapshot.js'

/** The account and region a plan was made for, or that the current credentials point at. */
export interface RegistryIdentity {
  accountId: string
  region: string
}

/** The live state of one repository the plan touches, as re-read by apply. */
export interface LiveRepositoryState {
  repository: string
  /** False when the repository no longer exists. */
  exists: boolean
  /** Every image of the repository; indexes with their parsed manifest (children). */
  images: LiveImage[]
  /** Raw policy text as ECR returns it; null = none. */
  lifecyclePolicy: string | null
}
