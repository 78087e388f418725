import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/test/**/*.test.ts', 'sync-server/test/**/*.test.ts', 'pwa/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          globalSetup: ['shared/test/fixtures-notice.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          globalSetup: ['shared/test/fixtures-notice.ts'],
          hookTimeout: 120_000,
          // A browser answers within a second on a quiet machine; CI's loaded 2 cores once took longer (a flake in
          // session.test.ts's popover poll). A poll still fails if its condition never holds.
          expect: { poll: { timeout: 10_000 } },
          // One browser test file at a time: each starts a server and a Chromium on a 2-core machine.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
