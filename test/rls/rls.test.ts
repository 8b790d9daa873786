/**
 * RLS on the real PostgreSQL server (neon target; supabase differs only in the identity
 * function). The helpdesk world (two organizations, seven callers, seed rows in every feature):
 *   - the matrix: table × command × identity, run as the API's role directly in SQL, every cell
 *     compared with what the API's firewall and access rules allow;
 *   - a differential test: seeded random requests through the API, and the same operation as
 *     direct SQL under RLS for the same identity just before; they must agree;
 *   - the lint pass over the migrated database, and an API whose role would bypass RLS refusing to serve.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintRls } from '../../src/compiler/rls/lint.js';
import type { FeatureModel } from '../../src/compiler/model/ir.js';
import { createWorld, SEED, type Actor, type World } from '../attack/world.js';
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { apiRow, asActor, contextOf, expected, type Command, type Row } from './identity.js';

const NEON: [string, string] = ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'];

let world: World;
let target: Awaited<ReturnType<typeof pgInProcessTarget>>;
let client: pg.Client;

beforeAll(async () => {
  world = await createWorld('rls', 3, async (root) => (target = await pgInProcessTarget(root, 'rls')), [NEON]);
  client = new pg.Client({ connectionString: target.url });
  await client.connect();
}, 180_000);
afterAll(async () => {
  await client?.end();
  await world?.t.close();
});

async function allRows(feature: FeatureModel): Promise<Row[]> {
  return (await client.query(`SELECT * FROM public."${feature.table.sqlName}" ORDER BY id`)).rows;
}

const actors = () => Object.values(world.actors);
const quoteId = (name: string) => `"${name}"`;

/** One cell's observed outcome: for select, whether the row is visible; for writes, whether they succeeded. */
async function observe(feature: FeatureModel, actor: Actor, command: Command, row: Row): Promise<boolean> {
  const t = `public.${quoteId(feature.table.sqlName)}`;
  const result = await asActor(client, world, actor, async () => {
    if (command === 'select') return (await client.query(`SELECT id FROM ${t} WHERE id = $1`, [row.id])).rowCount === 1;
    if (command === 'insert') {
      await client.query(`INSERT INTO ${t} SELECT * FROM json_populate_record(null::${t}, $1::json)`, [
        JSON.stringify(row),
      ]);
      return true;
    }
    if (command === 'update')
      return (await client.query(
        `UPDATE ${t} SET ${
          quoteId(feature.table.columns.find((c) => c.key === feature.audit.modifiedAt)!.sqlName)
        } = now()::text WHERE id = $1`,
        [row.id],
      )).rowCount === 1;
    return (await client.query(`DELETE FROM ${t} WHERE id = $1`, [row.id])).rowCount === 1;
  });
  return result === true;
}

/** A new row for the actor's organization (or the other one), stamped as the API would. */
function newRow(feature: FeatureModel, template: Row, actor: Actor, org: 'A' | 'B', i: number): Row {
  const row: Row = { ...template, id: `rls_${feature.name}_${actor.name}_${org}_${i}` };
  const col = (key?: string) => feature.table.columns.find((c) => c.key === key)?.sqlName;
  if (col(feature.scope.organization)) row[col(feature.scope.organization)!] = world.orgIds[org];
  if (col(feature.scope.owner)) row[col(feature.scope.owner)!] = actor.userId ?? template[col(feature.scope.owner)!];
  return row;
}

describe('RLS matrix: table × command × identity, as the API role in SQL', () => {
  it('matches the API rules in 100% of cells', async () => {
    const misses: string[] = [];
    let cells = 0;
    for (const feature of world.features) {
      const rows = await allRows(feature);
      for (const actor of actors()) {
        const ctx = contextOf(world, actor);
        for (const row of rows) {
          for (const command of ['select', 'update', 'delete'] as const) {
            cells++;
            const want = expected(feature, ctx, command, apiRow(feature, row));
            if ((await observe(feature, actor, command, row)) !== want)
              misses.push(
                `${feature.name} ${command} ${actor.name} row ${row.id}: expected ${want ? 'allowed' : 'denied'}`,
              );
          }
        }
        for (const org of ['A', 'B'] as const) {
          cells++;
          const candidate = newRow(feature, rows[0], actor, org, cells);
          const want = expected(feature, ctx, 'insert', apiRow(feature, candidate));
          if ((await observe(feature, actor, 'insert', candidate)) !== want)
            misses.push(`${feature.name} insert ${actor.name} into ${org}: expected ${want ? 'allowed' : 'denied'}`);
        }
      }
    }
    console.log(`[rls] matrix: ${cells - misses.length}/${cells} cells as expected`);
    expect(misses).toEqual([]);
    expect(cells).toBeGreaterThan(200);
  }, 120_000);

  it('refuses an UPDATE that moves a row to another organization', async () => {
    const tickets = world.features.find((f) => f.name === 'tickets')!;
    const [row] = (await allRows(tickets)).filter((r) => r.organization_id === world.orgIds.A);
    const moved = await asActor(
      client,
      world,
      world.actors.ownerA,
      () => client.query('UPDATE public.tickets SET organization_id = $1 WHERE id = $2', [world.orgIds.B, row.id]),
    );
    expect(moved).toMatchObject({ code: '42501', error: expect.stringMatching(/row-level security/) });
  });

  it('refuses the move when the UPDATE reads no column (only WITH CHECK stands between the row and the other tenant)', async () => {
    // `WHERE id = …` needs SELECT rights, so PostgreSQL applies the SELECT policy to the new row too
    // and refuses the move even without WITH CHECK. An UPDATE that reads no column gets only the
    // UPDATE policy: its USING picks A's rows, and its WITH CHECK must keep them in A.
    const tickets = world.features.find((f) => f.name === 'tickets')!;
    expect((await allRows(tickets)).some((r) => r.organization_id === world.orgIds.A)).toBe(true);
    const moved = await asActor(client, world, world.actors.ownerA, async () => {
      const result = await client.query('UPDATE public.tickets SET organization_id = $1', [world.orgIds.B]);
      return { moved: result.rowCount };
    });
    expect(moved).toMatchObject({ code: '42501', error: expect.stringMatching(/row-level security/) });
    // The same statement keeping the organization is allowed: the refusal is the check, not the grant.
    const kept = await asActor(
      client,
      world,
      world.actors.ownerA,
      async () => (await client.query('UPDATE public.tickets SET organization_id = $1', [world.orgIds.A])).rowCount,
    );
    expect(kept).toBeGreaterThan(0);
  });

  it('denies everything to a signed-in user whose active organization is gone (no org = no access)', async () => {
    const ticketsSeen = await asActor(
      client,
      world,
      world.actors.loner,
      async () => (await client.query('SELECT count(*)::int AS n FROM public.tickets')).rows[0].n,
    );
    expect(ticketsSeen).toBe(0);
  });
});

describe('user_sessions: a direct SQL client (Neon Authorize: only the user in its claims)', () => {
  const visibleTickets = async (userId: string) => {
    await client.query('BEGIN');
    try {
      await client.query(
        "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
        [JSON.stringify({ sub: userId })],
      );
      return (await client.query('SELECT count(*)::int AS n FROM public.tickets')).rows[0].n as number;
    } finally {
      await client.query('ROLLBACK');
    }
  };

  it('sees the organization its latest session chose, and nothing once it switches to no organization (fail closed)', async () => {
    const carol = world.actors.memberA;
    const [{ n: inA }] =
      (await client.query('SELECT count(*)::int AS n FROM public.tickets WHERE organization_id = $1', [world.orgIds.A]))
        .rows;
    expect(inA).toBeGreaterThan(0);
    expect(await visibleTickets(carol.userId!)).toBe(inA);
    const mirrored = async () =>
      (await client.query('SELECT active_organization_id AS org FROM public.user_sessions WHERE user_id = $1', [
        carol.userId,
      ])).rows[0]?.org;
    expect(await mirrored()).toBe(world.orgIds.A);
    await (carol.caller as unknown as {
      auth: { organization: { setActive(a: { organizationId: string | null }): Promise<unknown> } };
    }).auth.organization.setActive({ organizationId: null });
    expect(await mirrored()).toBeNull();
    expect(await visibleTickets(carol.userId!)).toBe(0);
    await (carol.caller as unknown as {
      auth: { organization: { setActive(a: { organizationId: string | null }): Promise<unknown> } };
    }).auth.organization.setActive({ organizationId: world.orgIds.A });
    expect(await mirrored()).toBe(world.orgIds.A);
    expect(await visibleTickets(carol.userId!)).toBe(inA);
  });

  it('ignores a session row for an organization the user is not a member of', async () => {
    const mallory = world.actors.memberB;
    await client.query('UPDATE public.user_sessions SET active_organization_id = $1 WHERE user_id = $2', [
      world.orgIds.A,
      mallory.userId,
    ]);
    try {
      expect(await visibleTickets(mallory.userId!)).toBe(0);
    } finally {
      await client.query('UPDATE public.user_sessions SET active_organization_id = $1 WHERE user_id = $2', [
        world.orgIds.B,
        mallory.userId,
      ]);
    }
  });
});

describe('differential: API requests vs the same operation as SQL under RLS', () => {
  /** mulberry32: a small seeded PRNG, so a failing sequence can be replayed from the logged seed. */
  function prng(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const TEXT_FIELD: Record<string, string> = {
    tickets: 'title',
    ticketComments: 'body',
    notes: 'body',
    tasks: 'title',
  };

  it('agrees on the rows each identity can see and change (0 disagreements)', async () => {
    console.log(`[rls] differential seed ${SEED}`);
    const random = prng(SEED);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const disagreements: string[] = [];
    const OPS = 150;
    for (let i = 0; i < OPS; i++) {
      const feature = pick(world.features);
      const actor = pick(actors());
      const t = `public."${feature.table.sqlName}"`;
      const deleted = feature.table.columns.find((c) => c.key === feature.audit.deletedAt)!.sqlName;
      const op = pick(['list', 'get', 'patch', 'delete'] as const);
      if (op === 'list') {
        const seen = await asActor(
          client,
          world,
          actor,
          async () =>
            (await client.query(`SELECT id FROM ${t} WHERE "${deleted}" IS NULL ORDER BY id`)).rows.map((r) => r.id),
        );
        // anon holds no SELECT grant on tables without a public read rule: permission denied, i.e. no rows.
        const sqlIds: unknown[] = Array.isArray(seen) ? seen : seen.code === '42501' ? [] : [`error ${seen.code}`];
        const res = await actor.caller.api('GET', `${feature.routePath}?limit=100`);
        const apiIds = res.status === 200 ? (res.body.data as Row[]).map((r) => r[feature.id.key]).sort() : [];
        if (JSON.stringify(sqlIds) !== JSON.stringify(apiIds))
          disagreements.push(
            `#${i} list ${feature.name} as ${actor.name}: SQL ${sqlIds.length} rows, API ${apiIds.length} (${res.status})`,
          );
        continue;
      }
      const row = pick(await allRows(feature));
      if (op === 'get' || op === 'patch') {
        const sqlCan = await asActor(client, world, actor, async () =>
          op === 'get'
            ? (await client.query(`SELECT id FROM ${t} WHERE id = $1 AND "${deleted}" IS NULL`, [row.id])).rowCount
              === 1
            : (await client.query(
              `UPDATE ${t} SET "${
                feature.table.columns.find((c) => c.key === TEXT_FIELD[feature.name])!.sqlName
              }" = 'sql' WHERE id = $1 AND "${deleted}" IS NULL`,
              [row.id],
            )).rowCount === 1);
        const res = op === 'get'
          ? await actor.caller.api('GET', `${feature.routePath}/${row.id}`)
          : await actor.caller.api('PATCH', `${feature.routePath}/${row.id}`, { [TEXT_FIELD[feature.name]]: `v${i}` });
        if ((sqlCan === true) !== (res.status === 200))
          disagreements.push(
            `#${i} ${op} ${feature.name}/${row.id} as ${actor.name}: SQL ${
              sqlCan === true ? 'allowed' : 'denied'
            }, API ${res.status} ${res.body?.code ?? ''}`,
          );
        continue;
      }
      // Deletes move the world on (soft deletes hide rows from both); their SQL form is the UPDATE the matrix covers.
      await actor.caller.api('DELETE', `${feature.routePath}/${row.id}`);
    }
    console.log(`[rls] differential: ${OPS} operations, ${disagreements.length} disagreements`);
    expect(disagreements).toEqual([]);
  }, 180_000);
});

describe('lint over the migrated database', () => {
  it('finds no table without RLS, no policy without InitPlan wrapping, no unindexed policy column, no bypassing API role', async () => {
    const findings = await lintRls(async (sql, params) => (await client.query(sql, params)).rows);
    expect(findings).toEqual([]);
  });

  it('detects an API role that owns a table, and the API then refuses to serve (503 DATABASE_ROLE_UNSAFE)', async () => {
    await client.query('ALTER TABLE public.notes OWNER TO authenticated');
    try {
      const findings = await lintRls(async (sql, params) => (await client.query(sql, params)).rows);
      expect(findings).toContainEqual({
        rule: 'api_role_bypasses_rls',
        detail: 'authenticated owns tables in public: policies do not bind it',
      });
      const app = target.createApp({});
      const caller = world.actors.ownerA.caller;
      const res = await app.request(
        new Request(`${target.baseURL}/api/v1/notes`, {
          headers: { cookie: [...caller.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        }),
      );
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        code: 'DATABASE_ROLE_UNSAFE',
        details: { reason: 'authenticated owns tables' },
      });
    } finally {
      await client.query('ALTER TABLE public.notes OWNER TO CURRENT_USER');
    }
  });
});
