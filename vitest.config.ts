import { defineConfig } from 'vitest/config';

/**
 * Test tiers (see README "Tests"):
 *  unit        — pure code, no I/O: test/unit
 *  integration — real Redis (throwaway redis-server), real sockets, real files: test/integration
 *  faults      — kills processes and Redis: test/faults
 *  browser     — real Chromium through playwright-core: test/browser
 */
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: { name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
