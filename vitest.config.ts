import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The dashboard's component tests (apps/web/test) import .vue files.
  plugins: [vue()],
  test: {
    include: ['apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Skipped tests are defects here: CI must see every test run.
    allowOnly: false,
    passWithNoTests: false,
  },
});
