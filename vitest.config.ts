import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    // Two cores: two test files at a time. Each integration file starts its own emulator, a
    // separate python process, so files never share registry state.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // End-to-end tests run the built CLI: build it first when dist/ is stale.
          globalSetup: ['test/support/cli-build.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
