/**
 * `npm run bench:scale`: does a list cost stay flat as the table grows (issue #31 part 7)? The
 * helpdesk example (Node + better-sqlite3) compiled once; per point a features database holding
 * N tickets in the caller's organization (1 in 20 soft-deleted) and 20 × N in 20 other
 * organizations, interleaved in time as tenants write, seeded with direct SQL inserts; one real
 * Node server per point, all sharing one auth database (one member, one session). The member's
 * `GET /api/v1/tickets?limit=50` is sent to the servers in turn (so load on the machine hits
 * every point alike), sequentially, SCALE_REQUESTS per point after a warm-up: p50 and p90 per
 * point. Goal: p50 at 100k ≤ 1.5 × p50 at 1k. Prints SQLite's EXPLAIN QUERY PLAN of the list
 * route's own page query at each point (expect a SEARCH of the list index on organization_id=?,
 * no temp b-tree: the page reads 51 index entries of the caller's organization, never another
 * tenant's row). SCALE_OTHERS_100K scales the 100k point's other organizations down (default
 * 2,000,000 rows: ~1 min to seed on a 2-core machine); the output says when it did. Then the
 * same on the local PostgreSQL (postgres() below; its 100k point has 400,000 rows of others by
 * default, SCALE_PG_OTHERS_100K). SCALE_DB=sqlite|postgresql runs one side only.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { compile } from '../src/compiler/index.js';
import { applyMigrations } from '../src/compiler/migrate/apply.js';
import { signUp } from '../test/helpers/client.js';
import { createOrg } from '../test/helpers/orgs.js';
import { copyFixture } from '../test/helpers/project.js';
import { startServer } from '../test/helpers/server.js';
import {
  isoAt,
  listStatement,
  loadResource,
  memberContext,
  pgPlanProblems,
  sqlitePlanProblems,
} from '../test/helpers/list-plan.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/postgres.js';
import { children, stopAll } from './route/setup.js';

const POINTS = [1_000, 10_000, 100_000];
const OTHER_ORGS = 20;
const REQUESTS = Number(process.env.SCALE_REQUESTS ?? 300);
const WARMUP = 30;
const OTHERS_100K = Number(process.env.SCALE_OTHERS_100K ?? 2_000_000);
const INDEX = 'tickets_organization_id_created_at_desc_id_idx';
const PG_OTHERS_100K = Number(process.env.SCALE_PG_OTHERS_100K ?? 400_000);

/** N rows of `org` and `others` rows over OTHER_ORGS organizations, one transaction, a second apart, interleaved. */
function seed(file: string, org: string, n: number, others: number): number {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    `INSERT INTO tickets (id, title, priority, done, organization_id, created_at, modified_at, deleted_at) VALUES (?, ?, 'normal', 0, ?, ?, ?, ?)`,
  );
  const total = n + others;
  const every = total / n;
  db.transaction(() => {
    let mine = 0;
    for (let i = 0; i < total; i++) {
      const own = mine < n && i >= mine * every;
      const at = isoAt(i);
      if (own) mine++;
      insert.run(
        `tck_${i}`,
        `Ticket ${i}`,
        own ? org : `org_other_${i % OTHER_ORGS}`,
        at,
        at,
        own && mine % 20 === 0 ? at : null,
      );
    }
  })();
  db.close();
  return performance.now() - started;
}

function explain(file: string, statement: { sql: string; params: unknown[] }): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as { detail: string }[]).map((
      r,
    ) => r.detail);
  } finally {
    db.close();
  }
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const root = copyFixture('helpdesk', 'bench-scale');
  await compile({ cwd: root });
  const data = path.join(root, 'data');
  mkdirSync(data, { recursive: true });
  const auth = path.join(data, 'auth.db');
  await applyMigrations({
    driver: 'better-sqlite3',
    url: `file:${auth}`,
    migrationsFolder: path.join(root, 'quickback/drizzle/auth'),
  });
  const features = (n: number) => path.join(data, `features-${n}.db`);
  const servers: { n: number; baseURL: string; others: number; seedMs: number }[] = [];
  let cookie = '';
  let org = '';
  for (const n of POINTS) {
    const file = features(n);
    await applyMigrations({
      driver: 'better-sqlite3',
      url: `file:${file}`,
      migrationsFolder: path.join(root, 'quickback/drizzle/features'),
    });
    const server = await startServer(root, 'node', true, {
      env: { DATABASE_URL: `file:${file}`, AUTH_DATABASE_URL: `file:${auth}` },
    });
    children.push(server.child);
    if (!cookie) {
      const member = await signUp(fetch, server.baseURL, 'Member');
      org = await createOrg(member, 'Scale');
      cookie = [...member.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const others = n === 100_000 ? OTHERS_100K : n * OTHER_ORGS;
    servers.push({ n, baseURL: server.baseURL, others, seedMs: seed(file, org, n, others) });
  }
  const get = async (baseURL: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${baseURL}/api/v1/tickets?limit=50`, { headers: { cookie } });
    const body = (await res.json()) as { data?: unknown[] };
    const took = performance.now() - started;
    if (res.status !== 200 || body.data?.length !== 50)
      throw new Error(`${baseURL}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return took;
  };
  for (let i = 0; i < WARMUP; i++) for (const s of servers) await get(s.baseURL);
  const times = new Map<number, number[]>(servers.map((s) => [s.n, []]));
  for (let i = 0; i < REQUESTS; i++) for (const s of servers) times.get(s.n)!.push(await get(s.baseURL));

  const tickets = await loadResource(root, 'tickets');
  const statement = listStatement(tickets, memberContext(org), 'sqlite', { limit: '50' });
  console.log(
    `scale bench: helpdesk on Node + better-sqlite3, GET /api/v1/tickets?limit=50 as a member, ${REQUESTS} sequential requests per point (servers in turn, after ${WARMUP} each)`,
  );
  console.log(`page query: ${statement.sql}`);
  let allClean = true;
  for (const s of servers) {
    const t = times.get(s.n)!;
    const scaled = s.n * OTHER_ORGS !== s.others
      ? ` (scaled down from ${(s.n * OTHER_ORGS).toLocaleString('en')} by SCALE_OTHERS_100K to keep the seed short)`
      : '';
    console.log(
      `\n${s.n.toLocaleString('en')} tickets in the caller's organization, ${
        s.others.toLocaleString('en')
      } in ${OTHER_ORGS} others${scaled}; seeded in ${(s.seedMs / 1000).toFixed(1)} s`,
    );
    console.log(`  p50 ${ms(pct(t, 0.5))}  p90 ${ms(pct(t, 0.9))}  min ${ms(Math.min(...t))}`);
    const plan = explain(features(s.n), statement);
    const problems = sqlitePlanProblems(plan, INDEX);
    allClean &&= problems.length === 0;
    console.log(`  EXPLAIN QUERY PLAN: ${plan.join(' | ')}${problems.length ? `  <- ${problems.join(', ')}` : ''}`);
  }
  const p50 = (n: number) => pct(times.get(n)!, 0.5);
  const ratio = p50(100_000) / p50(1_000);
  console.log('');
  console.log(
    `goal list p50 at 100k ≤ 1.5× p50 at 1k: ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ms(p50(1_000))} → ${
      ms(p50(10_000))
    } → ${ms(p50(100_000))}: ${ratio.toFixed(2)}×)`,
  );
  console.log(
    `goal EXPLAIN is a search of ${INDEX} on organization_id, no sort, at every point: ${allClean ? 'met' : 'NOT met'}`,
  );
}

/**
 * PostgreSQL (the helpdesk compiled for neon, schema + RLS layer migrated, one database per
 * point): the page query as the API sends it under RLS — BEGIN with role and claims in one round
 * trip, the query, COMMIT — on one connection per database, in turn; EXPLAIN ANALYZE at each point.
 */
async function postgres(): Promise<void> {
  const root = copyFixture('helpdesk', 'bench-scale-pg', {
    config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']],
  });
  await compile({ cwd: root });
  const tickets = await loadResource(root, 'tickets');
  const statement = listStatement(tickets, memberContext('org_a'), 'postgresql', { limit: '50' });
  const claims = JSON.stringify({ sub: 'usr_member', role: 'authenticated', org_id: 'org_a', team_id: null });
  const points: { n: number; others: number; seedMs: number; db: TestDatabase; client: pg.Client }[] = [];
  try {
    for (const n of POINTS) {
      const db = await createTestDatabase(`bench_scale_${n}`);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      points.push({ n, others: 0, seedMs: 0, db, client });
      await applyMigrations({
        driver: 'node-postgres',
        url: db.url,
        migrationsFolder: path.join(root, 'quickback/drizzle/features'),
      });
      const others = n === 100_000 ? PG_OTHERS_100K : n * OTHER_ORGS;
      const started = performance.now();
      await client.query(
        `INSERT INTO public."user" (id, name, email, email_verified, created_at, updated_at) VALUES ('usr_member', 'M', 'm@example.com', true, now(), now())`,
      );
      await client.query(
        `INSERT INTO public.organization (id, name, slug, created_at) VALUES ('org_a', 'A', 'a', now())`,
      );
      await client.query(
        `INSERT INTO public.member (id, organization_id, user_id, role, created_at) VALUES ('mem_a', 'org_a', 'usr_member', 'member', now())`,
      );
      const every = Math.round((n + others) / n);
      await client.query(
        `INSERT INTO public.tickets (id, title, priority, done, organization_id, created_at, modified_at, deleted_at)
        SELECT 'tck_' || g, 'Ticket ' || g, 'normal', false, CASE WHEN g % ${every} = 0 THEN 'org_a' ELSE 'org_other_' || (g % ${OTHER_ORGS}) END, t, t,
          CASE WHEN g % ${every} = 0 AND (g / ${every}) % 20 = 0 THEN t END
        FROM (SELECT g, to_char(timestamp '2026-01-01' + g * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t FROM generate_series(1, ${
          n * every
        }) g) s`,
      );
      await client.query('ANALYZE');
      points[points.length - 1].others = n * every - n;
      points[points.length - 1].seedMs = performance.now() - started;
    }
    const page = async (client: pg.Client): Promise<number> => {
      const started = performance.now();
      await client.query(
        `BEGIN; select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${
          client.escapeLiteral(claims)
        }, true)`,
      );
      const { rowCount } = await client.query(statement.sql, statement.params);
      await client.query('COMMIT');
      if (rowCount !== 51) throw new Error(`page of ${rowCount} rows`);
      return performance.now() - started;
    };
    for (let i = 0; i < WARMUP; i++) for (const p of points) await page(p.client);
    const times = new Map<number, number[]>(points.map((p) => [p.n, []]));
    for (let i = 0; i < REQUESTS; i++) for (const p of points) times.get(p.n)!.push(await page(p.client));
    console.log(`
PostgreSQL: the helpdesk compiled for neon, the list route's page query under RLS (BEGIN + role + claims, query, COMMIT), ${REQUESTS} per point in turn on one connection each`);
    let allClean = true;
    for (const p of points) {
      const t = times.get(p.n)!;
      const scaled = p.others < p.n * OTHER_ORGS
        ? ` (scaled down from ${
          (p.n * OTHER_ORGS).toLocaleString('en')
        } by SCALE_PG_OTHERS_100K to keep the seed short)`
        : '';
      console.log(`
${p.n.toLocaleString('en')} tickets in the caller's organization, ${
  p.others.toLocaleString('en')
} in ${OTHER_ORGS} others${scaled}; seeded in ${(p.seedMs / 1000).toFixed(1)} s`);
      console.log(`  p50 ${ms(pct(t, 0.5))}  p90 ${ms(pct(t, 0.9))}  min ${ms(Math.min(...t))}`);
      await p.client.query(
        `BEGIN; select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${
          p.client.escapeLiteral(claims)
        }, true)`,
      );
      const plan = (await p.client.query(
        `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${statement.sql}`,
        statement.params,
      )).rows.map((r) => r['QUERY PLAN']).join('\n');
      await p.client.query('ROLLBACK');
      const problems = pgPlanProblems(plan, INDEX, 'organization_id');
      const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map((m) => Number(m[1]));
      if (removed.some((r) => r > 0)) problems.push(`rows removed by a filter: ${removed.join(', ')}`);
      allClean &&= problems.length === 0;
      console.log(
        `  EXPLAIN ANALYZE:${problems.length ? `  <- ${problems.join(', ')}` : ''}\n${
          plan.split('\n').map((l) => `    ${l}`).join('\n')
        }`,
      );
    }
    const p50 = (n: number) => pct(times.get(n)!, 0.5);
    const ratio = p50(100_000) / p50(1_000);
    console.log('');
    console.log(
      `goal PostgreSQL list p50 at 100k ≤ 1.5× p50 at 1k: ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ms(p50(1_000))} → ${
        ms(p50(10_000))
      } → ${ms(p50(100_000))}: ${ratio.toFixed(2)}×)`,
    );
    console.log(
      `goal PostgreSQL EXPLAIN is an index scan of ${INDEX}, no sort, no row of another tenant filtered, at every point: ${
        allClean ? 'met' : 'NOT met'
      }`,
    );
  } finally {
    for (const p of points) {
      await p.client.end();
      await p.db.drop();
    }
  }
}

try {
  if (process.env.SCALE_DB !== 'postgresql') await main();
  if (process.env.SCALE_DB !== 'sqlite') await postgres();
} finally {
  stopAll();
}
