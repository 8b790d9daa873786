/**
 * The list bounds and 100-record batches of limits.suite.ts on PostgreSQL (supabase, in-process,
 * RLS): the same 400s at the same bounds as on D1 and SQLite, so the API behaves the same everywhere.
 */
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { copyFixture } from '../helpers/project.js';
import { LIMITS_FILES, limitsConformance } from './limits.suite.js';

limitsConformance(
  'node + supabase (in-process, RLS)',
  () =>
    pgInProcessTarget(
      copyFixture('helpdesk', 'limits-pg', {
        files: LIMITS_FILES,
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("supabase"']],
      }),
      'limits_pg',
    ),
);
