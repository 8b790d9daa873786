import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'generators/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.out/**', '.demo/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time on the 2-core machines: most of a file's time is spent waiting on
    // child processes (servers, tsc, npm, workerd), so one per core minus one (the default: 1) idles.
    maxWorkers: 2,
    // Chromium for the browser tests: system, or the one inside @sparticuz/chromium (test/setup/browser.ts).
    // The CLI bundle, built once (test/setup/bundle.ts).
    // PostgreSQL for the neon/supabase suites: 127.0.0.1:5432, PG_URL, or PGlite when neither answers or QB_TEST_POSTGRES=pglite (test/setup/postgres.ts).
    globalSetup: ['test/setup/bundle.ts', 'test/setup/postgres.ts', 'test/setup/browser.ts'],
  },
});
