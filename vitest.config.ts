import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'generators/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.out/**', '.demo/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Chromium for the browser tests: system, or the one inside @sparticuz/chromium (test/setup/browser.ts).
    // PostgreSQL for the neon/supabase suites: 127.0.0.1:5432, PG_URL, or PGlite when neither answers or QB_TEST_POSTGRES=pglite (test/setup/postgres.ts).
    globalSetup: ['test/setup/postgres.ts', 'test/setup/browser.ts'],
  },
});
