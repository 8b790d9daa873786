/**
 * @module compiler/migrate
 * SQL migrations for SQLite and PostgreSQL: plan the next one (pure apart from drizzle-kit's
 * diff) and apply them to a local SQLite database or a PostgreSQL server.
 */
export { planMigration, BREAKPOINT, type PlanMigrationInput, type PlannedMigration } from './plan.js';
export type { Renames } from './renames.js';
