/**
 * Indexes from the access model (issue #31 part 7), the way an existing app meets them: the
 * helpdesk app as the previous compiler migrated it (test/fixtures/migrations/helpdesk-v0-*:
 * `(organization_id, deleted_at)` and `(created_at)` indexes) recompiles, gets one new journaled
 * migration (snapshotted) with the list indexes, applies it over live data, and then the list
 * route's own page query is an index range scan: SQLite's EXPLAIN QUERY PLAN searches the new
 * index with no temp b-tree, PostgreSQL's EXPLAIN (under RLS, as the app runs it) is an Index Scan
 * with no Sort and no filter on organization_id. Not timed.
 */
import Database from 'better-sqlite3';
import { Miniflare } from 'miniflare';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/index.js';
import { applyMigrations } from '../../src/compiler/migrate/apply.js';
import {
  isoAt,
  listStatement,
  loadResource,
  memberContext,
  pgPlanProblems,
  sqlitePlanProblems,
  ticketsInsert,
} from '../helpers/list-plan.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { copyFixture, REPO } from '../helpers/project.js';

const FEATURES = 'quickback/drizzle/features';
const NEON: [string, string][] = [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']];

/** The helpdesk app with its v0 migration history, recompiled by this compiler: the new migration files. */
async function upgraded(label: 'sqlite' | 'neon'): Promise<{ root: string; v0: string; added: string[] }> {
  const root = copyFixture('helpdesk', `list-indexes-${label}`, { config: label === 'neon' ? NEON : [] });
  const v0 = path.join(REPO, 'test', 'fixtures', 'migrations', `helpdesk-v0-${label}`);
  cpSync(v0, path.join(root, FEATURES), { recursive: true });
  const before = new Set(readdirSync(path.join(root, FEATURES)));
  await compile({ cwd: root });
  return { root, v0, added: readdirSync(path.join(root, FEATURES)).filter((f) => !before.has(f)) };
}

/** `count` tickets a second apart, interleaved: 1 in 11 of org_a (1 in 20 of those deleted), the rest over 7 other organizations. */
function seedRows(count = 4420): [string, string, string, string | null][] {
  const rows: [string, string, string, string | null][] = [];
  for (let i = 0; i < count; i++) {
    const org = i % 11 === 0 ? 'org_a' : `org_${i % 7}`;
    rows.push([`tck_${i}`, org, isoAt(i), org === 'org_a' && i % 20 === 0 ? isoAt(i + 1) : null]);
  }
  return rows;
}

describe('list indexes on SQLite: an existing app recompiles', () => {
  let app: Awaited<ReturnType<typeof upgraded>>;
  beforeAll(async () => {
    app = await upgraded('sqlite');
  }, 120_000);

  // The same migration also creates idempotency_keys (Idempotency-Key, issue #31 part 5): the v0 compiler had neither.
  it('gets one new migration: the list, defaultSort and foreign-key indexes replace the old ones', async () => {
    expect(app.added.filter((f) => f.endsWith('.sql'))).toEqual(['0001_create_idempotency_keys.sql']);
    const sql = readFileSync(path.join(app.root, FEATURES, '0001_create_idempotency_keys.sql'), 'utf8');
    await expect(sql).toMatchFileSnapshot('__snapshots__/list-indexes/sqlite-0001.sql.snap');
    expect(sql).toContain(
      'CREATE INDEX `tickets_organization_id_created_at_desc_id_idx` ON `tickets` (`organization_id`,"created_at" desc,`id`) WHERE "tickets"."deleted_at" is null;',
    );
    expect(
      JSON.parse(readFileSync(path.join(app.root, FEATURES, 'meta', '_journal.json'), 'utf8')).entries.map((
        e: { tag: string },
      ) => e.tag),
    ).toEqual(['0000_init', '0001_create_idempotency_keys']);
    const again = await compile({ cwd: app.root });
    expect(again.written.filter((f) => f.startsWith(FEATURES))).toEqual([]);
  }, 60_000);

  it("applies over live data, and the list route's page query searches the new index (no temp b-tree)", async () => {
    const file = path.join(app.root, 'scale.db');
    expect(await applyMigrations({ driver: 'better-sqlite3', url: `file:${file}`, migrationsFolder: app.v0 })).toEqual({
      applied: 1,
    });
    const seeding = new Database(file);
    const insert = ticketsInsert(seedRows(), () => '?');
    seeding.prepare(insert.sql).run(...insert.params);
    seeding.close();
    expect(
      await applyMigrations({
        driver: 'better-sqlite3',
        url: `file:${file}`,
        migrationsFolder: path.join(app.root, FEATURES),
      }),
    ).toEqual({ applied: 1 });
    const db = new Database(file, { readonly: true });
    try {
      const tickets = await loadResource(app.root, 'tickets');
      for (const params of [{}, { offset: '100' }, { sort: '-createdAt' }] as Record<string, string>[]) {
        const statement = listStatement(tickets, memberContext('org_a'), 'sqlite', params);
        const plan =
          (db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as { detail: string }[]).map((
            r,
          ) => r.detail);
        expect(
          sqlitePlanProblems(plan, 'tickets_organization_id_created_at_desc_id_idx'),
          `${JSON.stringify(params)}: ${plan.join(' | ')}`,
        ).toEqual([]);
      }
      // The page is right, not just fast: org_a's live tickets, newest first.
      const first = listStatement(tickets, memberContext('org_a'), 'sqlite');
      const rows = db.prepare(first.sql).raw().all(...first.params) as unknown[][];
      const expected = seedRows().filter((r) => r[1] === 'org_a' && r[3] === null).reverse().slice(0, 51).map((r) =>
        r[0]
      );
      expect(rows.map((r) => r[0])).toEqual(expected);
      // A sort the index does not hold still sorts (the check can fail).
      const other = listStatement(tickets, memberContext('org_a'), 'sqlite', { sort: 'estimate' });
      const sorted = (db.prepare(`EXPLAIN QUERY PLAN ${other.sql}`).all(...other.params) as { detail: string }[]).map((
        r,
      ) => r.detail);
      expect(sqlitePlanProblems(sorted, 'tickets_organization_id_created_at_desc_id_idx')).toContain(
        'sorts in a temp b-tree',
      );
    } finally {
      db.close();
    }
  }, 60_000);

  it(
    "on D1 (Miniflare's workerd SQLite) the old and the new migration apply, and the page query searches the new index",
    async () => {
      const mf = new Miniflare({
        modules: true,
        script: 'export default { fetch() { return new Response("ok"); } }',
        d1Databases: ['DB'],
      });
      try {
        const db = await mf.getD1Database('DB');
        for (const file of ['0000_init.sql', '0001_create_idempotency_keys.sql']) {
          for (
            const statement of readFileSync(path.join(app.root, FEATURES, file), 'utf8').split(
              '--> statement-breakpoint',
            )
          ) await db.prepare(statement).run();
        }
        const statement = listStatement(await loadResource(app.root, 'tickets'), memberContext('org_a'), 'sqlite');
        const plan =
          (await db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).bind(...statement.params).all<{ detail: string }>())
            .results.map((r) => r.detail);
        expect(sqlitePlanProblems(plan, 'tickets_organization_id_created_at_desc_id_idx'), plan.join(' | ')).toEqual(
          [],
        );
      } finally {
        await mf.dispose();
      }
    },
    60_000,
  );
});

describe('list indexes on PostgreSQL: an existing app recompiles', () => {
  let app: Awaited<ReturnType<typeof upgraded>>;
  let database: TestDatabase;
  beforeAll(async () => {
    app = await upgraded('neon');
    database = await createTestDatabase('list_indexes');
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  // After it, the RLS layer's migration for the new idempotency_keys table (issue #31 part 5).
  it('gets one new migration after its RLS layer, with the list indexes (DESC NULLS FIRST, partial on live rows)', async () => {
    const added = app.added.filter((f) => f.endsWith('.sql'));
    expect(added).toHaveLength(2);
    expect(added[0]).toBe('0002_create_idempotency_keys.sql');
    expect(added[1]).toMatch(/^0003_quickback_rls_[0-9a-f]+\.sql$/);
    const sql = readFileSync(path.join(app.root, FEATURES, '0002_create_idempotency_keys.sql'), 'utf8');
    await expect(sql).toMatchFileSnapshot('__snapshots__/list-indexes/postgresql-0002.sql.snap');
    expect(sql).toContain(
      'CREATE INDEX "tickets_organization_id_created_at_desc_id_idx" ON "tickets" USING btree ("organization_id","created_at" DESC NULLS FIRST,"id") WHERE "tickets"."deleted_at" is null;',
    );
  });

  it(
    'applies over live data, and EXPLAIN of the page query under RLS is an index scan with no tenant filter and no sort',
    async () => {
      expect(await applyMigrations({ driver: 'node-postgres', url: database.url, migrationsFolder: app.v0 })).toEqual({
        applied: 2,
      });
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO public."user" (id, name, email, email_verified, created_at, updated_at) VALUES ('usr_member', 'M', 'm@example.com', true, now(), now())`,
        );
        for (const org of ['org_a', ...Array.from({ length: 7 }, (_, i) => `org_${i}`)])
          await client.query(
            `INSERT INTO public.organization (id, name, slug, created_at) VALUES ($1, $1, $1, now())`,
            [org],
          );
        await client.query(
          `INSERT INTO public.member (id, organization_id, user_id, role, created_at) VALUES ('mem_a', 'org_a', 'usr_member', 'member', now())`,
        );
        // Enough rows that the planner prefers reading the index in order to a bitmap scan and a sort (~4,000 live in org_a).
        const rows = seedRows(48_000);
        for (let i = 0; i < rows.length; i += 1000) {
          const insert = ticketsInsert(rows.slice(i, i + 1000), (n) => `$${n}`);
          await client.query(insert.sql, insert.params);
        }
        expect(
          await applyMigrations({
            driver: 'node-postgres',
            url: database.url,
            migrationsFolder: path.join(app.root, FEATURES),
          }),
        ).toEqual({ applied: 2 });
        await client.query('ANALYZE');
        const tickets = await loadResource(app.root, 'tickets');
        const claims = JSON.stringify({ sub: 'usr_member', role: 'authenticated', org_id: 'org_a', team_id: null });
        for (const params of [{}, { offset: '100' }] as Record<string, string>[]) {
          const statement = listStatement(tickets, memberContext('org_a'), 'postgresql', params);
          await client.query(
            `BEGIN; select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${
              client.escapeLiteral(claims)
            }, true)`,
          );
          try {
            const plan = (await client.query(`EXPLAIN ${statement.sql}`, statement.params)).rows.map((r) =>
              r['QUERY PLAN']
            ).join('\n');
            expect(pgPlanProblems(plan, 'tickets_organization_id_created_at_desc_id_idx', 'organization_id'), plan)
              .toEqual([]);
            const page = await client.query({ text: statement.sql, values: statement.params, rowMode: 'array' });
            expect(page.rows.length).toBe(51);
          } finally {
            await client.query('ROLLBACK');
          }
        }
      } finally {
        await client.end();
      }
    },
    60_000,
  );
});
