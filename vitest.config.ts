import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One `npm test` runs every package's unit tests plus the cross-process tests in tests/.
// The global setup starts one embedded PostgreSQL for the whole run; each test file gets its own
// freshly migrated database from it (tests/harness/db.ts), dropped afterwards.
const unit = (name: string, dir: string) => ({
  extends: true as const,
  test: { name, root: dir, include: ['src/**/*.test.ts', '*.test.ts'] },
});

export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(new URL('./tests/harness/global-setup.ts', import.meta.url))],
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      unit('core', 'packages/core'),
      unit('config', 'packages/config'),
      unit('runtime', 'packages/runtime'),
      unit('db', 'packages/db'),
      unit('market-data', 'packages/market-data'),
      unit('screener', 'packages/screener'),
      unit('messaging', 'packages/messaging'),
      unit('screener-worker', 'workers/screener'),
      unit('workflows', 'workflows'),
      // The web app keeps its code (and the tests beside it) under lib/ and app/, not src/.
      {
        extends: true as const,
        test: {
          name: 'web',
          root: 'apps/web',
          include: ['lib/**/*.test.ts', 'app/**/*.test.ts', '*.test.ts'],
        },
      },
      { extends: true, test: { name: 'supabase', root: 'supabase', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          root: 'tests',
          include: ['integration/**/*.test.ts', 'faults/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', root: 'tests', include: ['e2e/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
