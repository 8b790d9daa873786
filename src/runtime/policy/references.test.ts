import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../core/context.js';
import { isApiError } from '../core/errors.js';
import { checkedWrite, referenceCheck, REFERENCE_CHUNK } from './references.js';
import type { ResourceDefinition } from '../core/resource.js';
import type { QueryDatabase } from '../core/types.js';

const boards = sqliteTable('boards', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  teamId: text('team_id').notNull(),
  deletedAt: text('deleted_at'),
});
const tags = sqliteTable('tags', { id: text('id').primaryKey() });
const cards = sqliteTable('cards', {
  id: text('id').primaryKey(),
  boardId: text('board_id'),
  backupBoardId: text('backup_board_id'),
  tagId: text('tag_id'),
});

const resource = (
  name: string,
  table: unknown,
  predicates: unknown[],
  references?: () => unknown[],
) => ({
  name,
  table,
  id: { key: 'id', type: 'text', clientIds: true },
  firewall: { predicates, errorMode: 'reveal' },
  references,
} as unknown as ResourceDefinition);
const boardsResource = resource('boards', boards, [
  { column: 'orgId', equals: 'ctx.activeOrgId' },
  { column: 'teamId', equals: 'ctx.activeTeamId' },
  { column: 'deletedAt', isNull: true },
]);
const tagsResource = resource('tags', tags, []);
const cardsResource = resource('cards', cards, [], () => [
  { column: 'boardId', resource: boardsResource, key: 'id' },
  { column: 'backupBoardId', resource: boardsResource, key: 'id' },
  { column: 'tagId', resource: tagsResource, key: 'id' },
]);

const sqlite = new Database(':memory:');
sqlite.exec(`CREATE TABLE boards (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, team_id TEXT NOT NULL, deleted_at TEXT);
  CREATE TABLE tags (id TEXT PRIMARY KEY); CREATE TABLE cards (id TEXT PRIMARY KEY, board_id TEXT, backup_board_id TEXT, tag_id TEXT)`);
const insert = sqlite.prepare('INSERT INTO boards VALUES (?, ?, ?, ?)');
for (let i = 0; i < 250; i++) insert.run(`b${i}`, 'org1', 'team1', null);
insert.run('other-org', 'org2', 'team1', null);
insert.run('other-team', 'org1', 'team2', null);
insert.run('gone', 'org1', 'team1', '2026-01-01');
const db = drizzle(sqlite);
afterAll(() => sqlite.close());

/** The database, counting the SELECT statements it is asked for. */
function counting(): { db: QueryDatabase; selects: () => number } {
  let n = 0;
  return {
    db: {
      ...(db as unknown as QueryDatabase),
      select: (fields?: Record<string, unknown>) => {
        n++;
        return db.select(fields as never);
      },
      insert: (t: never) => db.insert(t),
    } as QueryDatabase,
    selects: () => n,
  };
}

const ctx = (team: string | null): AppContext => ({
  authenticated: true,
  userId: 'u1',
  userRole: 'user',
  activeOrgId: 'org1',
  activeTeamId: team,
  roles: ['member'],
  user: null,
});

function refusal(fn: () => void): unknown {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return isApiError(err) ? { status: err.status, body: err.toBody() } : err;
  }
}

describe('referenceCheck', () => {
  it('accepts rows visible through the firewall and refuses other organizations, teams, soft-deleted and missing rows alike', async () => {
    const rows = [
      { boardId: 'b1' },
      { boardId: 'other-org' },
      { boardId: 'other-team' },
      { boardId: 'gone' },
      { boardId: 'nowhere' },
      { boardId: null, backupBoardId: 'b2' },
    ];
    const check = await referenceCheck(db as unknown as QueryDatabase, cardsResource, ctx('team1'), rows);
    const answers = rows.map((row) => refusal(() => check(row)));
    expect(answers[0]).toBe('accepted');
    expect(answers[5]).toBe('accepted');
    expect(answers[1]).toMatchObject({
      status: 409,
      body: { code: 'FOREIGN_KEY_VIOLATION', details: { column: 'boardId' } },
    });
    for (const answer of answers.slice(2, 5)) expect(answer).toEqual(answers[1]);
  });

  it("asks one query per referenced table, chunked within D1's 100 bound parameters; none for nulls or unfenced tables", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      boardId: `b${i}`,
      backupBoardId: `b${249 - i}`,
      tagId: `t${i}`,
    }));
    const counted = counting();
    const check = await referenceCheck(counted.db, cardsResource, ctx('team1'), rows);
    expect(counted.selects()).toBe(Math.ceil(250 / REFERENCE_CHUNK));
    for (const row of rows) check(row);
    const none = counting();
    await referenceCheck(none.db, cardsResource, ctx('team1'), [{ boardId: null, tagId: 'any' }]);
    expect(none.selects()).toBe(0);
  });

  it('refuses every value when the caller lacks the scope the referenced firewall needs, without a query', async () => {
    const counted = counting();
    const check = await referenceCheck(counted.db, cardsResource, ctx(null), [{ boardId: 'b1' }]);
    expect(counted.selects()).toBe(0);
    expect(refusal(() => check({ boardId: 'b1' }))).toMatchObject({ body: { code: 'FOREIGN_KEY_VIOLATION' } });
  });
});

describe('checkedWrite (the action db)', () => {
  it("checks the values and an upsert's set before the statement runs", async () => {
    const write = (row: Record<string, unknown>, set?: Record<string, unknown>) => {
      const builder = checkedWrite(
        db as unknown as QueryDatabase,
        cardsResource,
        ctx('team1'),
        [row],
        db.insert(cards).values(row as never),
      );
      return set ? builder.onConflictDoUpdate({ target: cards.id, set }) : builder;
    };
    await expect(write({ id: 'c1', boardId: 'other-org' })).rejects.toMatchObject({ code: 'FOREIGN_KEY_VIOLATION' });
    expect(sqlite.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 0 });
    await write({ id: 'c1', boardId: 'b1' });
    await expect(write({ id: 'c1', boardId: 'b1' }, { boardId: 'gone' })).rejects.toMatchObject({
      details: { column: 'boardId' },
    });
    await write({ id: 'c2', boardId: 'b2' }).run();
    await expect(write({ id: 'c3', boardId: 'nowhere' }).run()).rejects.toMatchObject({
      code: 'FOREIGN_KEY_VIOLATION',
    });
    expect(sqlite.prepare('SELECT id, board_id AS b FROM cards ORDER BY id').all()).toEqual([
      { id: 'c1', b: 'b1' },
      { id: 'c2', b: 'b2' },
    ]);
  });
});
