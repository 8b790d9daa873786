/**
 * @module compiler/migrate
 * SQL migrations for SQLite: plan the next one (pure apart from drizzle-kit's diff) and apply
 * them to a local database.
 */
export { planMigration, BREAKPOINT, type PlanMigrationInput, type PlannedMigration } from './plan.js';
export type { Renames } from './renames.js';
