/**
 * The conformance suites (CRUD, read and write pipelines, actions) on the PostgreSQL targets:
 * the local server through node-postgres, RLS on for every API query (each request runs as
 * `authenticated`/`anon` with its claims). Both targets, neon and supabase, differ in the
 * identity function their policies call.
 */
import { pgReader, pgInProcessTarget, psql } from '../helpers/pg-target.js';
import { copyFixture } from '../helpers/project.js';
import { actionsConformance } from './actions.suite.js';
import { PROBES } from './probes.js';
import { crudConformance } from './crud.suite.js';
import { PIPELINE_FILES } from './pipeline-cast.js';
import { readConformance } from './read.suite.js';
import { writeConformance } from './write.suite.js';

const ADMIN_PLUGIN: [string, string] = ['emailAndPassword: { enabled: true, minPasswordLength: 10 },', 'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["admin"],'];

for (const kind of ['neon', 'supabase'] as const) {
  const database: [string, string] = ['defineDatabase("better-sqlite3"', `defineDatabase("${kind}"`];
  crudConformance(`node + ${kind} (PostgreSQL, RLS)`, () => pgInProcessTarget(copyFixture('helpdesk', `conf-${kind}`, { config: [database] }), kind));
  writeConformance(`node + ${kind} (PostgreSQL, RLS)`, () => pgInProcessTarget(copyFixture('helpdesk', `write-${kind}`, { config: [database], files: PIPELINE_FILES }), kind));
  readConformance(`node + ${kind} (PostgreSQL, RLS)`, () => pgInProcessTarget(copyFixture('helpdesk', `read-${kind}`, { config: [database], files: PIPELINE_FILES }), kind));
  actionsConformance(`node + ${kind} (PostgreSQL, RLS)`, async () => {
    const root = copyFixture('helpdesk', `actions-${kind}`, { files: { ...PIPELINE_FILES, ...PROBES }, config: [database, ADMIN_PLUGIN] });
    const t = await pgInProcessTarget(root, kind);
    // The audit log shares the database here (AUDIT_DATABASE_URL defaults to DATABASE_URL).
    const broken = new URL(t.url);
    broken.pathname = '/qb_no_such_database';
    return {
      ...t,
      makeAdmin: (userId) => { psql(t.url, `UPDATE public."user" SET role = 'admin' WHERE id = :'id'`, { id: userId }); },
      brokenAudit: async () => {
        const app = t.createApp({ AUDIT_DATABASE_URL: broken.toString() });
        return async (request) => app.request(request);
      },
      auditRows: () => {
        if (psql(t.url, "SELECT to_regclass('public.audit_events') IS NULL") === 't') return [];
        const out = psql(t.url, "SELECT coalesce(json_agg(a ORDER BY a.at, a.id), '[]') FROM audit_events a");
        return JSON.parse(out) as Record<string, unknown>[];
      },
      ...pgReader(t.url),
    };
  });
}
