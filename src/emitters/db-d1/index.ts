/**
 * @module emitters/db-d1
 * Database access for Cloudflare D1. Migrations are the same journaled SQL files as every SQLite
 * target; wrangler applies them (`npm run db:migrate:<db>:local|remote`, migrations_dir).
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { printD1Db } from './print/db.js';

export const dbD1Emitter = {
  id: 'db-d1',
  applies: (model) => model.database.kind === 'cloudflare-d1' && model.cloudflare !== undefined,
  emit: (model) => [{
    path: 'src/db/index.ts',
    contents: printD1Db(model, model.cloudflare!),
    ownership: 'compiler',
    emitter: 'db-d1',
  }],
} satisfies Emitter;
