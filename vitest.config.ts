import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The dashboard's component tests (apps/web/test) import .vue files.
  plugins: [vue()],
  test: {
    include: ['apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    pool: 'forks',
    // Three files at a time, even on CI's two cores (Vitest's default there is one): most files
    // wait on sockets, timers and databases rather than on the CPU. Each file has its own
    // databases already; each worker gets a Redis database of its own (worker-redis.ts).
    // `--maxWorkers=1` runs the files one after the other as before.
    maxWorkers: 3,
    setupFiles: ['apps/server/test/support/worker-redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Skipped tests are defects here: CI must see every test run.
    allowOnly: false,
    passWithNoTests: false,
  },
});
