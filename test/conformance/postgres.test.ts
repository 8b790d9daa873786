/**
 * The conformance suites (CRUD, read and write pipelines, actions) on the PostgreSQL targets:
 * the local server through node-postgres, RLS on for every API query (each request runs as
 * `authenticated`/`anon` with its claims). Both targets, neon and supabase, differ in the
 * identity function their policies call.
 */
import { describe, expect, it } from 'vitest';
import { pgReader, pgInProcessTarget, pgServerTarget, psql } from '../helpers/pg-target.js';
import { signUp } from '../helpers/client.js';
import { createOrg } from '../helpers/orgs.js';
import { hasBun } from '../helpers/server.js';
import { PGLITE, ONE_BACKEND } from '../helpers/postgres.js';
import { copyFixture } from '../helpers/project.js';
import { startNeonHttpEndpoint } from '../helpers/neon-http.js';
import { startWsProxy } from '../helpers/ws-proxy.js';
import { actionsConformance } from './actions.suite.js';
import { PROBES } from './probes.js';
import { crudConformance } from './crud.suite.js';
import { PIPELINE_FILES } from './pipeline-cast.js';
import { readConformance } from './read.suite.js';
import { writeConformance } from './write.suite.js';

const ADMIN_PLUGIN: [string, string] = [
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },',
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["admin"],',
];

/** Real HTTP: the compiled app as its own process, Node (supabase) and Bun (neon), Better Auth's client signing in. */
crudConformance(
  'node server + supabase (real HTTP, RLS)',
  () =>
    pgServerTarget(
      copyFixture('helpdesk', 'srv-supabase', {
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("supabase"']],
      }),
      'srv_supabase',
      'node',
    ),
);
if (hasBun()) {
  crudConformance(
    'bun server + neon (real HTTP, RLS)',
    () =>
      pgServerTarget(
        copyFixture('helpdesk', 'srv-neon-bun', {
          config: [
            ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'],
            ['defineRuntime("node")', 'defineRuntime("bun")'],
          ],
        }),
        'srv_neon_bun',
        'bun',
      ),
  );
}

/** Neon's serverless driver over WebSocket (NEON_WS_PROXY points the driver at the local proxy). */
let proxy: Awaited<ReturnType<typeof startWsProxy>>;
crudConformance('node + neon over WebSocket (Neon serverless driver, local proxy)', async () => {
  proxy = await startWsProxy();
  const t = await pgInProcessTarget(
    copyFixture('helpdesk', 'conf-neon-ws', { config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']] }),
    'neon_ws',
    { NEON_WS_PROXY: proxy.address },
  );
  return {
    ...t,
    close: async () => {
      await t.close();
      await proxy.close();
    },
  };
});
describe('node + neon over WebSocket', () => {
  it("carried the API's queries through the WebSocket proxy", () => expect(proxy.connections()).toBeGreaterThan(0));
});

/**
 * Neon's SQL-over-HTTP driver (`connectionMode: "http"`; NEON_HTTP_ENDPOINT points it at the local
 * endpoint): no interactive transaction, so every query carries the request's RLS prelude into its
 * own transaction, and multi-statement writes are batches.
 */
const NEON_HTTP: [string, string] = [
  'defineDatabase("better-sqlite3", {',
  'defineDatabase("neon", { connectionMode: "http",',
];
let endpoint: Awaited<ReturnType<typeof startNeonHttpEndpoint>>;
async function neonHttpTarget(label: string, files: Record<string, string> = {}) {
  endpoint = await startNeonHttpEndpoint();
  const t = await pgInProcessTarget(
    copyFixture('helpdesk', label, { config: [NEON_HTTP], files }),
    label.replace(/-/g, '_'),
    { NEON_HTTP_ENDPOINT: endpoint.url },
  );
  return {
    ...t,
    close: async () => {
      await endpoint.close();
      await t.close();
    },
  };
}
crudConformance(
  'node + neon over HTTP (Neon serverless driver, local SQL-over-HTTP endpoint)',
  () => neonHttpTarget('conf-neon-http'),
);
writeConformance(
  'node + neon over HTTP (batches for atomic writes)',
  () => neonHttpTarget('write-neon-http', PIPELINE_FILES),
);
actionsConformance('node + neon over HTTP (unsafe actions as the service role)', async () => {
  const actionsEndpoint = await startNeonHttpEndpoint();
  return actionsTarget(
    'neon-http',
    [NEON_HTTP, ADMIN_PLUGIN],
    { NEON_HTTP_ENDPOINT: actionsEndpoint.url },
    () => actionsEndpoint.close(),
  );
});
describe('node + neon over HTTP', () => {
  it("sent the API's queries to the HTTP endpoint, each with its RLS prelude", () => {
    expect(endpoint.requests()).toBeGreaterThan(10);
    expect(endpoint.statements()).toBeGreaterThan(endpoint.requests());
  });

  it('answers 503 MISSING_ENV naming NEON_HTTP_ENDPOINT when DATABASE_URL is not a Neon URL and no endpoint is set', async () => {
    const t = await pgInProcessTarget(
      copyFixture('helpdesk', 'neon-http-no-endpoint', { config: [NEON_HTTP] }),
      'neon_http_no_endpoint',
    );
    try {
      const res = await t.fetch(new Request(`${t.baseURL}/api/v1/tickets`));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'MISSING_ENV', details: { missing: ['NEON_HTTP_ENDPOINT'] } });
    } finally {
      await t.close();
    }
  });
});

/**
 * The database, not only the API, decides what a request sees: the caller's ticket is visible
 * through the API while RLS holds (their role and organization claim reach the policy), and
 * invisible once the select policy is dropped (the query runs as `authenticated`, under FORCE RLS).
 */
async function policiesBindTheApi(t: Awaited<ReturnType<typeof pgInProcessTarget>>): Promise<void> {
  try {
    const member = await signUp(t.fetch, t.baseURL, 'Member');
    await createOrg(member, 'Acme');
    expect((await member.api('POST', '/api/v1/tickets', { title: 'Printer on fire' })).status).toBe(201);
    expect((await member.api('GET', '/api/v1/tickets')).body.data).toHaveLength(1);
    psql(t.url, 'DROP POLICY tickets_select ON public.tickets');
    expect((await member.api('GET', '/api/v1/tickets')).body.data).toHaveLength(0);
  } finally {
    await t.close();
  }
}
describe("the API's queries run under RLS", () => {
  it('node-postgres', async () =>
    policiesBindTheApi(
      await pgInProcessTarget(
        copyFixture('helpdesk', 'binds-pg', { config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']] }),
        'binds_pg',
      ),
    ));
  it('Neon over HTTP', async () => {
    const http = await startNeonHttpEndpoint();
    try {
      await policiesBindTheApi(
        await pgInProcessTarget(copyFixture('helpdesk', 'binds-http', { config: [NEON_HTTP] }), 'binds_http', {
          NEON_HTTP_ENDPOINT: http.url,
        }),
      );
    } finally {
      await http.close();
    }
  });
});

describe('neon: Neon Authorize', () => {
  it('serves the JWKS at /auth/v1/.well-known/jwks.json and /auth/v1/jwks (the jwt plugin is on), same keys', async () => {
    const t = await pgInProcessTarget(
      copyFixture('helpdesk', 'neon-jwks', { config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']] }),
      'neon',
    );
    try {
      const wellKnown = await t.fetch(new Request(`${t.baseURL}/auth/v1/.well-known/jwks.json`));
      expect(wellKnown.status).toBe(200);
      const keys = await wellKnown.json();
      expect(keys.keys).toEqual([expect.objectContaining({ kid: expect.any(String), kty: 'OKP', alg: 'EdDSA' })]);
      expect(await (await t.fetch(new Request(`${t.baseURL}/auth/v1/jwks`))).json()).toEqual(keys);
    } finally {
      await t.close();
    }
  });
});

/** The actions suite's target: unsafe actions (the service role), their audit log beside the data. */
async function actionsTarget(
  label: string,
  config: [string, string][],
  env: Record<string, string> = {},
  after = async () => {},
) {
  const root = copyFixture('helpdesk', `actions-${label}`, { files: { ...PIPELINE_FILES, ...PROBES }, config });
  const t = await pgInProcessTarget(root, label.replace(/-/g, '_'), env);
  // The audit log shares the database here (AUDIT_DATABASE_URL defaults to DATABASE_URL).
  const broken = new URL(t.url);
  broken.pathname = '/qb_no_such_database';
  return {
    ...t,
    makeAdmin: (userId: string) => {
      psql(t.url, `UPDATE public."user" SET role = 'admin' WHERE id = :'id'`, { id: userId });
    },
    brokenAudit: async () => {
      const app = t.createApp({ AUDIT_DATABASE_URL: broken.toString() });
      return async (request: Request) => app.request(request);
    },
    auditRows: () => {
      if (psql(t.url, "SELECT to_regclass('public.audit_events') IS NULL") === 't') return [];
      const out = psql(t.url, "SELECT coalesce(json_agg(a ORDER BY a.at, a.id), '[]') FROM audit_events a");
      return JSON.parse(out) as Record<string, unknown>[];
    },
    ...pgReader(t.url),
    close: async () => {
      await after();
      await t.close();
    },
  };
}

if (PGLITE)
  console.log(
    `[postgres] skipped on PGlite: ?organizationId= addressing and unsafe actions over node-postgres (${ONE_BACKEND})`,
  );
for (const kind of ['neon', 'supabase'] as const) {
  const database: [string, string] = ['defineDatabase("better-sqlite3"', `defineDatabase("${kind}"`];
  crudConformance(
    `node + ${kind} (PostgreSQL, RLS)`,
    () => pgInProcessTarget(copyFixture('helpdesk', `conf-${kind}`, { config: [database] }), kind),
  );
  writeConformance(
    `node + ${kind} (PostgreSQL, RLS)`,
    () =>
      pgInProcessTarget(copyFixture('helpdesk', `write-${kind}`, { config: [database], files: PIPELINE_FILES }), kind),
  );
  readConformance(
    `node + ${kind} (PostgreSQL, RLS)`,
    () =>
      pgInProcessTarget(copyFixture('helpdesk', `read-${kind}`, { config: [database], files: PIPELINE_FILES }), kind),
    { oneBackend: PGLITE },
  );
  actionsConformance(`node + ${kind} (PostgreSQL, RLS)`, () => actionsTarget(kind, [database, ADMIN_PLUGIN]), {
    oneBackend: PGLITE,
  });
}
