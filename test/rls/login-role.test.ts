/**
 * PostgreSQL least privilege (issue #28): the API logs in as `quickback_api`, never as the owner
 * of the tables, so a session that leaves its request's role cannot leave row level security.
 * Everything below goes through the generated app's own database module (`createDatabases`,
 * `begin`): the pool, the login and the per-request transaction the routes use. The same probes
 * through the owner's login (how the API connected before) show what was at stake.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql as drizzleSql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rlsStatements } from '../../src/compiler/rls/layer.js';
import { createWorld, type World } from '../attack/world.js';
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { PGLITE } from '../helpers/postgres.js';
import { claimsOf } from './identity.js';

type Prelude = (literal: (value: string) => string) => string;
type Tx = { execute(query: unknown): Promise<{ rows: Record<string, unknown>[] }> };
interface DbModule {
  createDatabases(env: Record<string, string>): { features: { $client: pg.Pool } };
  begin(db: unknown, prelude: Prelude): Promise<{ tx: Tx; end(commit: boolean): Promise<void> }>;
}

/** PGlite serves every connection as its one superuser: there is no login to prove anything about. */
const d = PGLITE ? describe.skip : describe;
if (PGLITE)
  console.log(
    '[pgrole] skipped: PGlite has one user (a superuser) whatever the URL names; the least-privilege proof needs a PostgreSQL server',
  );

let world: World;
let target: Awaited<ReturnType<typeof pgInProcessTarget>>;
let db: DbModule;
let sql: (text: string) => unknown;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  if (PGLITE) return;
  let root = '';
  world = await createWorld('pgrole', 1, async (dir) => (root = dir, target = await pgInProcessTarget(dir, 'pgrole')), [
    ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'],
  ]);
  db = await import(pathToFileURL(path.join(root, 'src/db/index.ts')).href);
  sql = (text) => drizzleSql.raw(text);
}, 240_000);
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await world?.t.close();
});

/** The app's database handle for `env` (its pool is closed after the suite). */
function open(env: Record<string, string>) {
  const { features } = db.createDatabases(env);
  pools.push(features.$client);
  return features;
}

/** ownerA's request transaction (role and claims as the API sets them), `probe` in it, then rolled back; errors come back as their SQLSTATE. */
async function inRequest(features: unknown, probe: (tx: Tx) => Promise<unknown>): Promise<unknown> {
  const { role, claims } = claimsOf(world, world.actors.ownerA);
  const { tx, end } = await db.begin(
    features,
    (literal) =>
      `SELECT set_config('role', ${literal(role)}, true), set_config('request.jwt.claims', ${literal(claims)}, true)`,
  );
  try {
    return await probe(tx);
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    return { sqlstate: e.cause?.code ?? e.code };
  } finally {
    await end(false);
  }
}

const one = async (tx: Tx, text: string) => (await tx.execute(sql(text))).rows[0];
const ticketOrgs = async (tx: Tx) =>
  (await tx.execute(sql('SELECT DISTINCT organization_id AS org FROM public.tickets ORDER BY 1'))).rows.map((r) =>
    r.org
  );

d("the API logs in as quickback_api (one DATABASE_URL: the owner's, with the user swapped)", () => {
  it('is not a superuser, has no BYPASSRLS, inherits nothing and owns no table', async () => {
    const row = await one(
      open({ DATABASE_URL: target.url }) as unknown as Tx,
      `SELECT session_user AS login, current_user AS acting, r.rolsuper, r.rolbypassrls, r.rolinherit,
      exists (select 1 from pg_class c where c.relowner = r.oid) AS owns FROM pg_roles r WHERE r.rolname = session_user`,
    );
    expect(row).toEqual({
      login: 'quickback_api',
      acting: 'service_role',
      rolsuper: false,
      rolbypassrls: false,
      rolinherit: false,
      owns: false,
    });
  });

  it('serves requests under RLS: ownerA sees organization A only', async () => {
    expect(await inRequest(open({ DATABASE_URL: target.url }), ticketOrgs)).toEqual([world.orgIds.A]);
    const res = await world.actors.ownerA.caller.api('GET', '/api/v1/tickets');
    expect(res.status).toBe(200);
  });

  it('RESET ROLE inside a request lands on the login role, which reads no table', async () => {
    const features = open({ DATABASE_URL: target.url });
    expect(
      await inRequest(features, async (tx) => {
        await tx.execute(sql('RESET ROLE'));
        return one(tx, 'SELECT current_user AS who');
      }),
    ).toEqual({ who: 'quickback_api' });
    expect(
      await inRequest(features, async (tx) => {
        await tx.execute(sql('RESET ROLE'));
        return ticketOrgs(tx);
      }),
    ).toEqual({ sqlstate: '42501' });
    expect(
      await inRequest(features, async (tx) => {
        await tx.execute(sql('SET ROLE NONE'));
        return ticketOrgs(tx);
      }),
    ).toEqual({ sqlstate: '42501' });
  });

  it('SET ROLE to the owner and SET SESSION AUTHORIZATION are refused', async () => {
    const features = open({ DATABASE_URL: target.url });
    const owner = decodeURIComponent(new URL(target.url).username);
    expect(await inRequest(features, (tx) => tx.execute(sql(`SET ROLE "${owner}"`)))).toEqual({ sqlstate: '42501' });
    expect(await inRequest(features, (tx) => tx.execute(sql(`SET SESSION AUTHORIZATION "${owner}"`)))).toEqual({
      sqlstate: '42501',
    });
    expect(await inRequest(features, (tx) => tx.execute(sql('SET ROLE pg_read_all_data')))).toEqual({
      sqlstate: '42501',
    });
  });

  it('API_DATABASE_URL wins over DATABASE_URL', async () => {
    const url = new URL(target.url);
    url.username = 'quickback_api';
    const row = await one(
      open({ API_DATABASE_URL: url.toString(), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }) as unknown as Tx,
      'SELECT session_user AS login',
    );
    expect(row).toEqual({ login: 'quickback_api' });
  });
});

d('an API pointed at an unsafe login refuses to serve (503 DATABASE_ROLE_UNSAFE)', () => {
  it.each([
    ['BYPASSRLS', 'LOGIN NOINHERIT BYPASSRLS', 'has BYPASSRLS'],
    ['INHERIT', 'LOGIN INHERIT', "holds service_role's privileges without SET ROLE (INHERIT)"],
  ])('a login with %s', async (_label, options, reason) => {
    const login = `qb_probe_login_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${login} ${options}`);
      await admin.query(`GRANT anon, authenticated, service_role TO ${login}`);
      const url = new URL(target.url);
      url.username = login;
      const app = target.createApp({ API_DATABASE_URL: url.toString() });
      const cookie = [...world.actors.ownerA.caller.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await app.request(new Request(`${target.baseURL}/api/v1/tickets`, { headers: { cookie } }));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        code: 'DATABASE_ROLE_UNSAFE',
        details: { reason: `the login ${login} ${reason}` },
      });
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${login}`).catch(() => {});
      await admin.end();
    }
  });
});

d("before: the owner's login (the API's URL until issue #28)", () => {
  it("RESET ROLE inside a request leaves RLS: both organizations' tickets", async () => {
    const features = open({ API_DATABASE_URL: target.url });
    const seen = await inRequest(features, async (tx) => {
      await tx.execute(sql('RESET ROLE'));
      return ticketOrgs(tx);
    });
    expect(seen).toEqual([world.orgIds.A, world.orgIds.B].sort());
  });
});

d('creating the roles (cluster-wide) is safe when several databases migrate at once', () => {
  it("8 concurrent runs of the layer's role statements all succeed, on roles none of them found", async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const names = ['quickback_api', 'service_role', 'authenticated', 'anon'];
    const probe = (text: string) =>
      names.reduce((t, name) => t.replace(new RegExp(`\\b${name}\\b`, 'g'), `qb_probe_${name}_${suffix}`), text);
    const statements = rlsStatements(world.model).slice(0, 3).map(probe);
    const clients = Array.from({ length: 8 }, () => new pg.Client({ connectionString: target.url }));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const outcomes = await Promise.allSettled(clients.map(async (c) => {
        for (const s of statements) await c.query(s);
      }));
      expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
      const { rows } = await clients[0].query(
        `SELECT r.rolname AS role, r.rolcanlogin AS login, r.rolinherit AS inherit FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
        WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1) ORDER BY 1`,
        [`qb_probe_quickback_api_${suffix}`],
      );
      expect(rows.map((r) => r.role)).toEqual([
        `qb_probe_anon_${suffix}`,
        `qb_probe_authenticated_${suffix}`,
        `qb_probe_service_role_${suffix}`,
      ]);
    } finally {
      for (const name of names)
        await clients[0].query(`DROP ROLE IF EXISTS qb_probe_${name}_${suffix}`).catch(() => {});
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
