// @ts-check
/**
 * Mutation testing of the security core (issue #28): `npm run test:mutation` (scripts/mutation.ts
 * runs this and reads the JSON report). Not part of `npm test`. The tests are the fast unit tests
 * of these modules (vitest.stryker.config.ts); perTest coverage reruns only the tests that reach
 * each mutant, so a run takes minutes on two cores.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    // Runtime (copied into every generated app): row isolation, access rules, write guards,
    // masking, the bearer token and its cache, API keys, field encryption.
    'src/runtime/firewall.ts',
    'src/runtime/access.ts',
    'src/runtime/guards.ts',
    'src/runtime/masking.ts',
    'src/runtime/jwt.ts',
    'src/runtime/api-key.ts',
    'src/runtime/envelope.ts',
    // Compiler: the RLS printer (predicates, helper functions, the policy layer).
    'src/compiler/rls/policies.ts',
    'src/compiler/rls/helpers.ts',
    'src/compiler/rls/layer.ts',
    // Compiler: the write stage's drift check (hand edits to generated files block the write).
    'src/compiler/write/plan.ts',
    'src/compiler/write/disk-state.ts',
  ],
  ignorePatterns: ['.out', '.demo', '.scratch', 'reports', 'packages', 'bench', 'generators', 'templates'],
  reporters: ['json', 'html', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  concurrency: 2,
  timeoutMS: 10_000,
};
