/**
 * @module @quickback/compiler
 * The definition DSL users import in quickback/**\/*.ts. Light and free of side effects: it
 * imports nothing from the compiler, Node built-ins or zod.
 */
export { defineConfig } from './config.js';
export type { QuickbackConfig, QuickbackConfigInput, AppAuthOptions, JwtOptions, MigrationRenames } from './config.js';
export { defineRuntime, defineDatabase, defineAuth, defineStorage, defineFileStorage } from './providers.js';
export type * from './providers.js';
export { feature, defineTable } from './feature.js';
export type * from './feature.js';
export { defineActions } from './actions.js';
export type { ActionSpec, ActionsDefinition } from './actions.js';
export { q } from './columns/q.js';
export type { Q, QTable, TextOptions, NumberOptions } from './columns/q.js';
export { ColumnBuilder } from './columns/builder.js';
export type * from './columns/spec.js';
