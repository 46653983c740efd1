import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
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
          // Each file starts its own emulator; two cores -> two files at a time.
          maxWorkers: 2,
        },
      },
    ],
  },
})
