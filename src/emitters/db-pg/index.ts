/**
 * @module emitters/db-pg
 * Database access for PostgreSQL (neon, supabase) on Node and Bun, and neon on Workers (over
 * WebSocket, or Neon's HTTP driver): the driver setup, the migrate script and the drizzle-kit config.
 */
import type { Emitter, EmittedFile } from '../../compiler/emit/contract.js';
import { printDb } from './print/db.js';
import { printDrizzleConfig, printMigrate } from './print/migrate.js';
import { printHttpDb } from './print/http-db.js';
import { printWorkerDb } from './print/worker-db.js';

export const dbPgEmitter = {
  id: 'db-pg',
  applies: (model) => model.database.dialect === 'postgresql',
  emit(model) {
    const file = (path: string, contents: string): EmittedFile => ({
      path,
      contents,
      ownership: 'compiler',
      emitter: 'db-pg',
    });
    // Workers: `npm run db:migrate` is `quickback migrate` (DATABASE_URL from .dev.vars or the environment).
    const http = model.database.neon?.transport === 'http';
    if (model.cloudflare)
      return [
        file('src/db/index.ts', http ? printHttpDb(model) : printWorkerDb(model)),
        file('drizzle.config.ts', printDrizzleConfig(model)),
      ];
    return [
      file('src/db/index.ts', http ? printHttpDb(model) : printDb(model)),
      file('src/db/migrate.ts', printMigrate(model)),
      file('drizzle.config.ts', printDrizzleConfig(model)),
    ];
  },
} satisfies Emitter;
