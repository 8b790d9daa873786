/**
 * @module emitters/drizzle-pg/print/schema
 * The pg-core vocabulary of the schema printer (emitters/drizzle-sqlite/print): `pgTable`,
 * `drizzle-orm/pg-core` and the pg column plans, so PostgreSQL schema modules are printed by the
 * same code as SQLite ones and match the tables the migration planner builds.
 */
import type { SchemaVocabulary } from '../../drizzle-sqlite/print/table.js';
import { pgColumnPlan } from '../../../compiler/emit/pg-columns.js';

export const POSTGRES: SchemaVocabulary = {
  tableFn: 'pgTable',
  coreModule: 'drizzle-orm/pg-core',
  anyColumn: 'AnyPgColumn',
  plan: pgColumnPlan,
  descending: (ref) => `${ref}.desc().nullsFirst()`,
};
