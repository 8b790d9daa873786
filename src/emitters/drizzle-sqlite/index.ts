/**
 * @module emitters/drizzle-sqlite
 * Drizzle `sqlite-core` schema modules for the auth and feature tables.
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { emitDrizzleSqlite, EMITTER_ID } from './print/schemas.js';

export const drizzleSqliteEmitter: Emitter = {
  id: EMITTER_ID,
  applies: (model) => model.database.dialect === 'sqlite',
  emit: (model, context) => emitDrizzleSqlite(model, context.memo),
};
