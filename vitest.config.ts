import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DuckDB is a native addon: separate processes rather than worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'Europe/Paris' },
    // one temporary folder per run, removed at its end (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
  },
});
