/**
 * @module emitters/drizzle-sqlite/capabilities
 * What this emitter can print, for docs and for the validate stage's support table.
 */
export const drizzleSqliteCapabilities = {
  dialect: 'sqlite',
  storage: ['text', 'integer', 'real', 'boolean', 'json', 'timestamp_ms'],
  defaults: ['value', 'json', 'now', 'today'],
  jsDefaults: ['now-date'],
  references: ['cascade', 'restrict', 'set null', 'set default', 'no action'],
  indexes: ['index', 'uniqueIndex'],
} as const;
