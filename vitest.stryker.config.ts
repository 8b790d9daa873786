import { defineConfig } from 'vitest/config';

/**
 * The unit tests of the security core, for mutation testing (`npm run test:mutation`): in-memory
 * or on one PostgreSQL database (no app servers or browsers), so Stryker can rerun the ones
 * covering each mutant in well under a second. The list mirrors `mutate` in stryker.config.mjs.
 */
export default defineConfig({
  test: {
    include: [
      'src/runtime/{firewall,access,guards,masking,jwt,api-key,envelope}*.test.ts',
      'src/compiler/rls/*.test.ts',
      'src/compiler/write/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '.out/**', '.stryker-tmp/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The RLS printer's test runs its SQL on PostgreSQL (the server, or PGlite when none answers),
    // on a model analyzed once per run.
    globalSetup: ['test/setup/postgres.ts', 'test/setup/rls-model.ts'],
    // The IV-uniqueness test draws 100,000 IVs by default; 2,000 still catches a fixed or reused IV.
    env: { QB_ENVELOPE_IVS: '2000' },
  },
});
