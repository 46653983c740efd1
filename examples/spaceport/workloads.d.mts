export declare const PRODUCTION_IMAGES: {sfm: string; '3dgs': string; compressor: string}
export declare const START_ML_JOB: {name: string; role: string; environment: Record<string, string>}
export declare const SAGEMAKER_JOBS: Array<{kind: 'processing' | 'training'; stage: 'sfm' | '3dgs' | 'compressor'; name: string; status: string}>
export declare function loadExampleWorkloads(endpoint: string): Promise<{functions: number; jobs: number; jobsInProgress: number}>
