// Types of scripts/architecture-rules.mjs, for test/unit/architecture.test.ts.
export interface Layer {
  name: string
  path: string
  role: string
  mayImport: string[]
}
export declare const LAYERS: Layer[]
export declare const PURE_CORE: string[]
export declare const EDGES: string[]
export declare const RESTRICTED_PACKAGES: Array<{prefix: string; allowedIn: string[]; why: string}>
export declare const MAX_COMMAND_LINES: number
export declare function renderArchitectureTable(): string
export declare function withArchitectureTable(doc: string, table?: string): string | undefined
