import { defineConfig } from 'vitest/config';

// `npm run test:faults`: every fault scenario, one after another (each kills a process of the
// stack that TOLLBOOTH_STACK_DIR names), then docs/faults.md is written from their rows.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts', 'test/faults/**/*.fault.ts'],
    globalSetup: ['test/helpers/global-setup.ts', 'test/faults/table.ts'],
    fileParallelism: false,
    // A scenario is two minutes of load plus the heal and the wait for the last final window.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
