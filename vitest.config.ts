import vue from '@vitejs/plugin-vue';
import { configDefaults, defineConfig } from 'vitest/config';

const INCLUDE = ['apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'];

/**
 * Files that run alone, one after the other once the others are done: they measure the event
 * loop or race deadlines with many processes of their own (a browser, three nodes and HAProxy
 * under load), which other files' work on the same cores would disturb.
 */
const ALONE = [
  'apps/web/test/e2e/dashboard.test.ts',
  'apps/server/test/e2e/cluster-load.test.ts',
  'apps/server/test/integration/database-outages.test.ts',
  'apps/server/test/integration/reservations.test.ts',
];

export default defineConfig({
  // The dashboard's component tests (apps/web/test) import .vue files.
  plugins: [vue()],
  test: {
    pool: 'forks',
    // Each worker gets a Redis database of its own (CIMORINGS_TEST_REDIS rewritten by
    // worker-redis.ts); each file has its own SQL databases already.
    setupFiles: ['apps/server/test/support/worker-redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Skipped tests are defects here: CI must see every test run.
    allowOnly: false,
    passWithNoTests: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: INCLUDE,
          exclude: [...configDefaults.exclude, ...ALONE],
          // Three files at a time, even on CI's two cores (Vitest's default there is one): most
          // files wait on sockets, timers and databases rather than on the CPU.
          maxWorkers: 3,
        },
      },
      // One worker: Vitest runs these after every other group, one file at a time.
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1 } },
    ],
  },
});
