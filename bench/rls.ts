/**
 * `npm run bench:rls`: the cost of row level security on PostgreSQL (issue #11). The helpdesk
 * example compiled for neon and migrated (schema + RLS layer) onto a fresh database of the local
 * server, 100,000 tickets over 20 organizations. The same tenant list query the API's list route
 * sends (organization's live tickets, newest first, 50 rows) runs:
 *   on:  as the API runs it: a transaction whose first round trip (BEGIN with it) switches to
 *        `authenticated` and sets the caller's claims (set_config(..., true)), then the query;
 *        FORCE RLS and the policies apply.
 *   off: the same transaction and query as the table's owner with row security off (a superuser),
 *        the tenant predicate written by hand.
 * Alternating rounds, 4 connections each, median queries/s per side. Goal: on/off ≥ 0.8×. Prints
 * EXPLAIN ANALYZE of the RLS query (expect an index scan and the helpers as InitPlans).
 * Part 2 does the same through the API: GET /api/v1/tickets?limit=50 on the real Node server
 * (autocannon), the compiled app vs the same app with its RLS transaction removed.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { signUp } from '../test/helpers/client.js';
import { createOrg } from '../test/helpers/orgs.js';
import { startServer } from '../test/helpers/server.js';
import {
  children,
  CONNECTIONS as CONNECTIONS_API,
  load,
  median,
  ROUNDS as API_ROUNDS,
  SECONDS as API_SECONDS,
  stopAll,
} from './route/setup.js';
import { compile } from '../src/compiler/index.js';
import { applyMigrations } from '../src/compiler/migrate/apply.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { copyFixture } from '../test/helpers/project.js';

const ROWS = 100_000;
const ORGS = 20;
const ROUNDS = 5;
const SECONDS = 3;
const CONNECTIONS = 4;
const LIST = 'SELECT * FROM public.tickets WHERE deleted_at IS NULL ORDER BY created_at DESC LIMIT 50';
const LIST_OFF =
  'SELECT * FROM public.tickets WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 50';

async function setup(url: string): Promise<{ userId: string; orgId: string }> {
  const root = copyFixture('helpdesk', 'bench-rls', {
    config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']],
  });
  await compile({ cwd: root });
  await applyMigrations({
    driver: 'node-postgres',
    url,
    migrationsFolder: path.join(root, 'quickback/drizzle/features'),
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const now = new Date().toISOString();
  await client.query(
    `INSERT INTO public."user" (id, name, email, email_verified, created_at, updated_at) VALUES ('usr_bench', 'Bench', 'bench@example.com', true, now(), now())`,
  );
  for (let o = 0; o < ORGS; o++) {
    await client.query(`INSERT INTO public.organization (id, name, slug, created_at) VALUES ($1, $1, $1, now())`, [
      `org_${o}`,
    ]);
  }
  await client.query(
    `INSERT INTO public.member (id, organization_id, user_id, role, created_at) VALUES ('mem_bench', 'org_0', 'usr_bench', 'member', now())`,
  );
  await client.query(
    `INSERT INTO public.tickets (id, title, priority, done, organization_id, created_at, modified_at)
    SELECT 'tck_' || g, 'Ticket ' || g, 'normal', false, 'org_' || (g % ${ORGS}), to_char(timestamp '2026-01-01' + g * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), $1
    FROM generate_series(1, ${ROWS}) g`,
    [now],
  );
  await client.query('ANALYZE');
  await client.end();
  return { userId: 'usr_bench', orgId: 'org_0' };
}

async function round(pool: pg.Pool, run: (c: pg.PoolClient) => Promise<void>): Promise<number> {
  const until = Date.now() + SECONDS * 1000;
  let count = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    const c = await pool.connect();
    try {
      while (Date.now() < until) {
        await run(c);
        count++;
      }
    } finally {
      c.release();
    }
  }));
  return count / SECONDS;
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_rls');
  try {
    const { userId, orgId } = await setup(database.url);
    const claims = JSON.stringify({ sub: userId, role: 'authenticated', org_id: orgId, team_id: null });
    const pool = new pg.Pool({ connectionString: database.url, max: CONNECTIONS });
    // What the compiled `begin` sends: BEGIN, role and claims in one round trip (src/emitters/db-pg/print/begin.ts).
    const prelude = (c: pg.PoolClient) =>
      `select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${
        c.escapeLiteral(claims)
      }, true)`;
    const on = async (c: pg.PoolClient) => {
      await c.query(`BEGIN; ${prelude(c)}`);
      const { rowCount } = await c.query(LIST);
      await c.query('COMMIT');
      if (rowCount !== 50) throw new Error(`RLS list returned ${rowCount} rows`);
    };
    const off = async (c: pg.PoolClient) => {
      await c.query('BEGIN');
      const { rowCount } = await c.query(LIST_OFF, [orgId]);
      await c.query('COMMIT');
      if (rowCount !== 50) throw new Error(`plain list returned ${rowCount} rows`);
    };
    const results = { on: [] as number[], off: [] as number[] };
    await round(pool, on); // warm both
    await round(pool, off);
    for (let i = 0; i < ROUNDS; i++) {
      results.on.push(await round(pool, on));
      results.off.push(await round(pool, off));
    }
    const c = await pool.connect();
    await c.query(`BEGIN; ${prelude(c)}`);
    const plan = (await c.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${LIST}`)).rows.map((r) =>
      r['QUERY PLAN']
    ).join('\n');
    await c.query('ROLLBACK');
    c.release();
    await pool.end();
    const ratio = median(results.on) / median(results.off);
    console.log(
      `rls bench: ${ROWS} tickets over ${ORGS} organizations, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s`,
    );
    console.log(
      `  RLS on  (authenticated, FORCE, claims per transaction): ${median(results.on).toFixed(0)} queries/s  (rounds: ${
        results.on.map((x) => x.toFixed(0)).join(', ')
      })`,
    );
    console.log(
      `  RLS off (superuser, tenant predicate by hand):          ${
        median(results.off).toFixed(0)
      } queries/s  (rounds: ${results.off.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(`  ratio on/off: ${ratio.toFixed(2)}x (goal >= 0.80x) ${ratio >= 0.8 ? 'MET' : 'MISSED'}`);
    console.log(`\nEXPLAIN ANALYZE (RLS on):\n${plan}`);
    const indexScan = /Index Scan|Index Only Scan|Bitmap Index Scan/.test(plan);
    const initPlan = /InitPlan/.test(plan);
    console.log(`\n  index scan: ${indexScan ? 'yes' : 'NO'}, helpers as InitPlan: ${initPlan ? 'yes' : 'NO'}`);
  } finally {
    await database.drop();
  }
}

/** Part 2: GET /api/v1/tickets?limit=50 through the real server, RLS on (as compiled) vs the same app with `rls: begin` removed. */
async function api(): Promise<void> {
  const on = copyFixture('helpdesk', 'bench-rls-api', {
    config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']],
  });
  await compile({ cwd: on });
  const off = `${on}-off`;
  cpSync(on, off, { recursive: true });
  const index = path.join(off, 'src', 'index.ts');
  const compiled = readFileSync(index, 'utf8');
  if (!compiled.includes(' rls: begin,'))
    throw new Error(`${index} has no "rls: begin": the comparison would measure the same app twice`);
  writeFileSync(index, compiled.replace(' rls: begin,', ''));
  const databases = { on: await createTestDatabase('bench_api_on'), off: await createTestDatabase('bench_api_off') };
  try {
    const servers: Record<'on' | 'off', { baseURL: string; cookie: string }> = {} as never;
    for (const [kind, root] of [['on', on], ['off', off]] as const) {
      const url = databases[kind].url;
      await applyMigrations({
        driver: 'node-postgres',
        url,
        migrationsFolder: path.join(root, 'quickback/drizzle/features'),
      });
      const server = await startServer(root, 'node', true, { env: { DATABASE_URL: url } });
      children.push(server.child);
      const member = await signUp(fetch, server.baseURL, 'Member');
      const org = await createOrg(member, 'Bench');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(
        `INSERT INTO public.tickets (id, title, priority, done, organization_id, created_at, modified_at)
        SELECT 'tck_' || g, 'Ticket ' || g, 'normal', false, CASE WHEN g % ${ORGS} = 0 THEN $1 ELSE 'org_' || (g % ${ORGS}) END,
          to_char(timestamp '2026-01-01' + g * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '2026-01-01T00:00:00.000Z'
        FROM generate_series(1, ${ROWS}) g`,
        [org],
      );
      await client.query('ANALYZE');
      await client.end();
      servers[kind] = { baseURL: server.baseURL, cookie: [...member.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
      const check = await member.api('GET', '/api/v1/tickets?limit=50');
      if (check.status !== 200 || check.body.data.length !== 50)
        throw new Error(`${kind}: ${check.status} ${JSON.stringify(check.body).slice(0, 200)}`);
    }
    const rps = { on: [] as number[], off: [] as number[] };
    for (const kind of ['on', 'off'] as const)
      load(`${servers[kind].baseURL}/api/v1/tickets?limit=50`, servers[kind].cookie, 2);
    for (let r = 0; r < API_ROUNDS; r++) {
      for (const kind of r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const result = load(`${servers[kind].baseURL}/api/v1/tickets?limit=50`, servers[kind].cookie, API_SECONDS);
        if (result.errors > 0 || result.non2xx > 0)
          throw new Error(`${kind}: ${result.errors} errors, ${result.non2xx} non-2xx`);
        rps[kind].push(result.rps);
      }
    }
    const ratio = median(rps.on) / median(rps.off);
    console.log(`
api bench: GET /api/v1/tickets?limit=50 (a member's organization: ${
  ROWS / ORGS
} of ${ROWS} tickets), Node server, ${CONNECTIONS_API} connections, ${API_ROUNDS} alternating rounds of ${API_SECONDS} s`);
    console.log(
      `  RLS on  (transaction as authenticated + claims): ${median(rps.on).toFixed(0)} req/s  (rounds: ${
        rps.on.map((x) => x.toFixed(0)).join(', ')
      })`,
    );
    console.log(
      `  RLS off (same app, no RLS transaction):          ${median(rps.off).toFixed(0)} req/s  (rounds: ${
        rps.off.map((x) => x.toFixed(0)).join(', ')
      })`,
    );
    console.log(`  ratio on/off: ${ratio.toFixed(2)}x (goal >= 0.80x) ${ratio >= 0.8 ? 'MET' : 'MISSED'}`);
  } finally {
    stopAll();
    await databases.on.drop();
    await databases.off.drop();
  }
}

await main();
await api();
