import { defineConfig } from 'vitest/config';
import SlowFirst from './test/setup/slow-first.js';

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
    // On a fresh clone the longest files start first, so none runs on alone at the end (test/setup/slow-first.ts).
    sequence: { sequencer: SlowFirst },
    // Chromium for the browser tests: system, or the one inside @sparticuz/chromium (test/setup/browser.ts).
    // The CLI bundle, built once (test/setup/bundle.ts).
    // PostgreSQL for the neon/supabase suites: 127.0.0.1:5432, PG_URL, or PGlite when neither answers or QB_TEST_POSTGRES=pglite (test/setup/postgres.ts).
    globalSetup: ['test/setup/bundle.ts', 'test/setup/postgres.ts', 'test/setup/browser.ts'],
  },
});
