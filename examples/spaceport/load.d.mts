export declare const EXAMPLE_REGISTRY: {
  registry: {accountId: string; region: string}
  takenAt: string
  unmanaged: string[]
  repositories: Array<{name: string; lifecyclePolicy: string | null}>
}
export declare function loadExampleRegistry(endpoint: string): Promise<{repositories: number; images: number}>
