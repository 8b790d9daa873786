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
 * 2,000,000 rows: ~1 min to seed on a 2-core machine); the output says when it did.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile } from '../src/compiler/index.js';
import { applyMigrations } from '../src/compiler/migrate/apply.js';
import { signUp } from '../test/helpers/client.js';
import { createOrg } from '../test/helpers/orgs.js';
import { copyFixture } from '../test/helpers/project.js';
import { startServer } from '../test/helpers/server.js';
import { isoAt, listStatement, loadResource, memberContext, sqlitePlanProblems } from '../test/helpers/list-plan.js';
import { children, stopAll } from './route/setup.js';

const POINTS = [1_000, 10_000, 100_000];
const OTHER_ORGS = 20;
const REQUESTS = Number(process.env.SCALE_REQUESTS ?? 300);
const WARMUP = 30;
const OTHERS_100K = Number(process.env.SCALE_OTHERS_100K ?? 2_000_000);
const INDEX = 'tickets_organization_id_created_at_desc_id_idx';

/** N rows of `org` and `others` rows over OTHER_ORGS organizations, one transaction, a second apart, interleaved. */
function seed(file: string, org: string, n: number, others: number): number {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(`INSERT INTO tickets (id, title, priority, done, organization_id, created_at, modified_at, deleted_at) VALUES (?, ?, 'normal', 0, ?, ?, ?, ?)`);
  const total = n + others;
  const every = total / n;
  db.transaction(() => {
    let mine = 0;
    for (let i = 0; i < total; i++) {
      const own = mine < n && i >= mine * every;
      const at = isoAt(i);
      if (own) mine++;
      insert.run(`tck_${i}`, `Ticket ${i}`, own ? org : `org_other_${i % OTHER_ORGS}`, at, at, own && mine % 20 === 0 ? at : null);
    }
  })();
  db.close();
  return performance.now() - started;
}

function explain(file: string, statement: { sql: string; params: unknown[] }): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as { detail: string }[]).map((r) => r.detail);
  } finally {
    db.close();
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const root = copyFixture('helpdesk', 'bench-scale');
  await compile({ cwd: root });
  const data = path.join(root, 'data');
  mkdirSync(data, { recursive: true });
  const auth = path.join(data, 'auth.db');
  await applyMigrations({ driver: 'better-sqlite3', url: `file:${auth}`, migrationsFolder: path.join(root, 'quickback/drizzle/auth') });
  const features = (n: number) => path.join(data, `features-${n}.db`);
  const servers: { n: number; baseURL: string; others: number; seedMs: number }[] = [];
  let cookie = '';
  let org = '';
  for (const n of POINTS) {
    const file = features(n);
    await applyMigrations({ driver: 'better-sqlite3', url: `file:${file}`, migrationsFolder: path.join(root, 'quickback/drizzle/features') });
    const server = await startServer(root, 'node', true, { env: { DATABASE_URL: `file:${file}`, AUTH_DATABASE_URL: `file:${auth}` } });
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
    if (res.status !== 200 || body.data?.length !== 50) throw new Error(`${baseURL}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return took;
  };
  for (let i = 0; i < WARMUP; i++) for (const s of servers) await get(s.baseURL);
  const times = new Map<number, number[]>(servers.map((s) => [s.n, []]));
  for (let i = 0; i < REQUESTS; i++) for (const s of servers) times.get(s.n)!.push(await get(s.baseURL));

  const tickets = await loadResource(root, 'tickets');
  const statement = listStatement(tickets, memberContext(org), 'sqlite', { limit: '50' });
  console.log(`scale bench: helpdesk on Node + better-sqlite3, GET /api/v1/tickets?limit=50 as a member, ${REQUESTS} sequential requests per point (servers in turn, after ${WARMUP} each)`);
  console.log(`page query: ${statement.sql}`);
  let allClean = true;
  for (const s of servers) {
    const t = times.get(s.n)!;
    const scaled = s.n * OTHER_ORGS !== s.others ? ` (scaled down from ${(s.n * OTHER_ORGS).toLocaleString('en')} by SCALE_OTHERS_100K to keep the seed short)` : '';
    console.log(`\n${s.n.toLocaleString('en')} tickets in the caller's organization, ${s.others.toLocaleString('en')} in ${OTHER_ORGS} others${scaled}; seeded in ${(s.seedMs / 1000).toFixed(1)} s`);
    console.log(`  p50 ${ms(pct(t, 0.5))}  p90 ${ms(pct(t, 0.9))}  min ${ms(Math.min(...t))}`);
    const plan = explain(features(s.n), statement);
    const problems = sqlitePlanProblems(plan, INDEX);
    allClean &&= problems.length === 0;
    console.log(`  EXPLAIN QUERY PLAN: ${plan.join(' | ')}${problems.length ? `  <- ${problems.join(', ')}` : ''}`);
  }
  const p50 = (n: number) => pct(times.get(n)!, 0.5);
  const ratio = p50(100_000) / p50(1_000);
  console.log('');
  console.log(`goal list p50 at 100k ≤ 1.5× p50 at 1k: ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ms(p50(1_000))} → ${ms(p50(10_000))} → ${ms(p50(100_000))}: ${ratio.toFixed(2)}×)`);
  console.log(`goal EXPLAIN is a search of ${INDEX} on organization_id, no sort, at every point: ${allClean ? 'met' : 'NOT met'}`);
}

try {
  await main();
} finally {
  stopAll();
}
