/**
 * @module emitters/db-sqlite
 * Database access for SQLite files (Node, Bun; D1 is db-d1): driver setup, the migrate script and drizzle-kit configs.
 */
import type { Emitter, EmittedFile } from '../../compiler/emit/contract.js';
import { printDb, printFiles } from './print/db.js';
import { printDrizzleConfig, printMigrate } from './print/migrate.js';

export const dbSqliteEmitter = {
  id: 'db-sqlite',
  applies: (model) => model.database.dialect === 'sqlite' && model.database.kind !== 'cloudflare-d1',
  emit(model) {
    const file = (path: string, contents: string): EmittedFile => ({
      path,
      contents,
      ownership: 'compiler',
      emitter: 'db-sqlite',
    });
    const files = [
      file('src/db/index.ts', printDb(model)),
      file('src/db/files.ts', printFiles(model)),
      file('src/db/migrate.ts', printMigrate(model)),
      file('drizzle.config.ts', printDrizzleConfig(model, 'features')),
    ];
    if (model.database.splitDatabases) files.push(file('drizzle.auth.config.ts', printDrizzleConfig(model, 'auth')));
    return files;
  },
} satisfies Emitter;
