import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One file at a time: integration tests share the services and the machine has 2 cores.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          // Real services: Flink job submission takes seconds, a final minute up to a minute and a half.
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
