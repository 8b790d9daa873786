/**
 * @module emitters/drizzle-pg
 * Drizzle `pg-core` schema modules (neon, supabase): the same files as the SQLite emitter, printed
 * with the PostgreSQL vocabulary, Better Auth's tables at `src/auth/schema.ts` and `user_sessions`
 * at `src/db/rls-support.schema.ts` (seed 001).
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { emitDrizzleSqlite, PG_AUTH_SCHEMA } from '../drizzle-sqlite/print/schemas.js';
import { POSTGRES } from './print/schema.js';

export const drizzlePgEmitter: Emitter = {
  id: 'drizzle-pg',
  applies: (model) => model.database.dialect === 'postgresql',
  emit: (model, context) =>
    emitDrizzleSqlite(model, context.memo, { emitter: 'drizzle-pg', vocabulary: POSTGRES, authSchema: PG_AUTH_SCHEMA }),
};
