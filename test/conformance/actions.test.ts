/**
 * The actions conformance suite, in-process on both SQLite drivers, with the admin plugin on (for
 * platform admins) and a tableless actions file (`probes`) whose handler throws ActionError.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { copyFixture } from '../helpers/project.js';
import { appEnv, databaseFiles, inProcessTarget } from '../helpers/target.js';
import { actionsConformance, type ActionsTarget } from './actions.suite.js';
import { PIPELINE_FILES } from './pipeline-cast.js';
import { PROBES } from './probes.js';

const ADMIN_PLUGIN: [string, string] = [
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },',
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["admin"],',
];

async function actionsTarget(label: string, driver: 'better-sqlite3' | 'libsql'): Promise<ActionsTarget> {
  const config: [string, string][] = [
    ADMIN_PLUGIN,
    ...(driver === 'libsql'
      ? [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"'] as [string, string]]
      : []),
  ];
  const root = copyFixture('helpdesk', label, { files: { ...PIPELINE_FILES, ...PROBES }, config });
  const t = await inProcessTarget(root, driver);
  const env = { ...appEnv(root, t.baseURL), AUDIT_DATABASE_URL: `file:${path.join(root, 'data', 'audit.db')}` };
  const { createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href);
  const app = createApp(env);
  return {
    ...t,
    fetch: async (request) => app.request(request),
    makeAdmin(userId) {
      const db = new Database(databaseFiles(root).auth);
      try {
        db.prepare('UPDATE "user" SET role = ? WHERE id = ?').run('admin', userId);
      } finally {
        db.close();
      }
    },
    async brokenAudit() {
      const broken = createApp({
        ...env,
        AUDIT_DATABASE_URL: `file:${path.join(root, 'data', 'features.db', 'not-a-dir', 'audit.db')}`,
      });
      return async (request) => broken.request(request);
    },
    auditRows() {
      if (!existsSync(path.join(root, 'data', 'audit.db'))) return [];
      const db = new Database(path.join(root, 'data', 'audit.db'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT * FROM audit_events ORDER BY at, id').all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
  };
}

actionsConformance('node + better-sqlite3 (app.request)', () => actionsTarget('actions-bsq', 'better-sqlite3'));
actionsConformance('node + libsql (app.request)', () => actionsTarget('actions-libsql', 'libsql'));
