/**
 * The rich helpdesk of the OpenAPI suites: the example plus a tableless actions file whose handler
 * throws ActionError (probes.ts), a catalogue anyone may read, Better Auth's admin and bearer
 * plugins (the apiKey plugin comes with organizations), file storage (PNG and text), realtime and
 * webhooks, served in-process. Every exchange outside /auth/v1 is recorded, to be checked against
 * the app's own /openapi.json.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Exchange } from '../../src/emitters/openapi/responses.testkit.js';
import type { FetchLike } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { databaseFiles, inProcessTarget, type ConformanceTarget } from '../helpers/target.js';
import { PROBES } from './probes.js';

const CATALOGUE = `import { feature, q } from "@quickback/compiler";
export default feature("catalogue", {
  columns: { id: q.id(), name: q.text({ maxLength: 80 }).required() },
  firewall: { exception: true },
  read: { access: { roles: ["PUBLIC"] } },
  create: { access: { roles: ["admin+"] } },
});
`;

const CONFIG: [string, string][] = [
  [
    'emailAndPassword: { enabled: true, minPasswordLength: 10 },',
    'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["admin", "bearer"],',
  ],
  ['import { defineAuth,', 'import { defineFileStorage, defineAuth,'],
  [
    '    auth: defineAuth("better-auth", {',
    '    fileStorage: defineFileStorage("r2", { maxFileSize: "2kb", allowedTypes: ["image/png", "text/*"] }),\n    auth: defineAuth("better-auth", {',
  ],
  ['generateId: "prefixed" }', 'generateId: "prefixed", realtime: true }'],
  ['export default defineConfig({', 'export default defineConfig({\n  webhooks: { allowInsecure: true },'],
];

export interface RichHelpdesk extends ConformanceTarget {
  root: string;
  /** Every response outside /auth/v1 so far, in order. */
  exchanges: Exchange[];
  /** Makes a user a platform admin (Better Auth's user role). */
  makeAdmin(userId: string): void;
}

export async function richHelpdesk(label: string): Promise<RichHelpdesk> {
  const root = copyFixture('helpdesk', label, {
    config: CONFIG,
    files: { ...PROBES, 'quickback/features/catalogue/catalogue.ts': CATALOGUE },
  });
  const t = await inProcessTarget(root, 'better-sqlite3', true, {
    FILES_DIR: path.join(root, 'uploads'),
    QUICKBACK_WEBHOOKS_ALLOW_PRIVATE: '1',
    AUDIT_DATABASE_URL: `file:${path.join(root, 'data', 'audit.db')}`,
  });
  const exchanges: Exchange[] = [];
  const fetch: FetchLike = async (request) => {
    const { pathname, search } = new URL(request.url);
    const response = await t.fetch(request);
    if (!pathname.startsWith('/auth/v1/')) {
      exchanges.push({
        method: request.method,
        path: pathname + search,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: await response.clone().text(),
      });
    }
    return response;
  };
  return {
    ...t,
    fetch,
    root,
    exchanges,
    makeAdmin(userId) {
      const db = new Database(databaseFiles(root).auth);
      try {
        db.prepare('UPDATE "user" SET role = ? WHERE id = ?').run('admin', userId);
      } finally {
        db.close();
      }
    },
  };
}
