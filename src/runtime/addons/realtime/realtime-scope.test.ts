import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../core/context.js';
import { proveScope, type ScopeTickets } from './realtime-scope.js';
import type { ResourceDefinition } from '../../core/resource.js';
import type { MemberRoles, QueryDatabase } from '../../core/types.js';

const deals = sqliteTable('deals', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  deletedAt: text('deleted_at'),
});
const watchers = sqliteTable('watchers', {
  id: text('id').primaryKey(),
  dealId: text('deal_id').notNull(),
  userId: text('user_id').notNull(),
  orgId: text('org_id').notNull(),
  deletedAt: text('deleted_at'),
});
const follows = sqliteTable('follows', {
  id: text('id').primaryKey(),
  dealId: text('deal_id').notNull(),
  ownerId: text('owner_id').notNull(),
  deletedAt: text('deleted_at'),
});
const teamLinks = sqliteTable('team_links', {
  id: text('id').primaryKey(),
  dealId: text('deal_id').notNull(),
  userId: text('user_id').notNull(),
  orgId: text('org_id').notNull(),
  teamId: text('team_id').notNull(),
});

const resource = (
  name: string,
  table: unknown,
  predicates: unknown[],
) => ({
  name,
  table,
  id: { key: 'id', type: 'text', clientIds: true },
  firewall: { predicates, errorMode: 'reveal' },
  deleteMode: 'soft',
  audit: { deletedAt: 'deletedAt' },
} as unknown as ResourceDefinition);
const soft = { column: 'deletedAt', isNull: true };
const dealsResource = resource('deals', deals, [{ column: 'orgId', equals: 'ctx.activeOrgId' }, soft]);
const scopeOf = (via: ResourceDefinition, userColumn: string): ScopeTickets => ({
  role: 'watcher',
  requestField: 'dealId',
  scope: dealsResource,
  via,
  scopeColumn: 'dealId',
  userColumn,
  links: [],
  db: () => db as unknown as QueryDatabase,
});
const byOrg = scopeOf(resource('watchers', watchers, [{ column: 'orgId', equals: 'ctx.activeOrgId' }, soft]), 'userId');
const byOwner = scopeOf(resource('follows', follows, [{ column: 'ownerId', equals: 'ctx.userId' }, soft]), 'ownerId');
const byTeam = scopeOf(
  resource('team_links', teamLinks, [
    { column: 'orgId', equals: 'ctx.activeOrgId' },
    { column: 'teamId', equals: 'ctx.activeTeamId' },
  ]),
  'userId',
);

const sqlite = new Database(':memory:');
sqlite.exec(`CREATE TABLE deals (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, deleted_at TEXT);
  CREATE TABLE watchers (id TEXT PRIMARY KEY, deal_id TEXT NOT NULL, user_id TEXT NOT NULL, org_id TEXT NOT NULL, deleted_at TEXT);
  CREATE TABLE follows (id TEXT PRIMARY KEY, deal_id TEXT NOT NULL, owner_id TEXT NOT NULL, deleted_at TEXT);
  CREATE TABLE team_links (id TEXT PRIMARY KEY, deal_id TEXT NOT NULL, user_id TEXT NOT NULL, org_id TEXT NOT NULL, team_id TEXT NOT NULL);
  INSERT INTO deals VALUES ('dA', 'orgA', NULL), ('dGone', 'orgA', '2026-01-01');
  INSERT INTO watchers VALUES ('w1', 'dA', 'outsider', 'orgA', NULL), ('w2', 'dA', 'intruder', 'orgB', NULL), ('w3', 'dA', 'former', 'orgA', '2026-01-01'), ('w4', 'dGone', 'outsider', 'orgA', NULL);
  INSERT INTO follows VALUES ('f1', 'dA', 'member', NULL), ('f2', 'dA', 'stranger', NULL);
  INSERT INTO team_links VALUES ('t1', 'dA', 'member', 'orgA', 'team1')`);
const db = drizzle(sqlite);
afterAll(() => sqlite.close());

const caller = (userId: string, activeOrgId: string | null = null, activeTeamId: string | null = null): AppContext => ({
  authenticated: true,
  userId,
  userRole: 'user',
  activeOrgId,
  activeTeamId,
  roles: [],
  user: null,
});
const members: MemberRoles = async (org, user) => (org === 'orgA' && user === 'member' ? ['member'] : null);
const prove = (scope: ScopeTickets, ctx: AppContext, id = 'dA') =>
  proveScope(scope, db as unknown as QueryDatabase, members, ctx, id);

describe('proveScope', () => {
  it("a relationship row of the scope row's organization proves it, for an outsider too; the proof names that organization", async () => {
    expect(await prove(byOrg, caller('outsider'))).toEqual({ organization: 'orgA' });
    expect(await prove(byOrg, caller('outsider', 'orgB'))).toEqual({ organization: 'orgA' });
  });

  it('a row another organization wrote, a soft-deleted row, or no row proves nothing, all alike', async () => {
    expect(await prove(byOrg, caller('intruder', 'orgB'))).toBe('refused');
    expect(await prove(byOrg, caller('former'))).toBe('refused');
    expect(await prove(byOrg, caller('nobody'))).toBe('refused');
    expect(await prove(byOrg, caller('intruder'), 'nowhere')).toBe('refused');
  });

  it('the scope row soft-deleted: missing for its linked caller only', async () => {
    expect(await prove(byOrg, caller('outsider'), 'dGone')).toBe('missing');
    expect(await prove(byOrg, caller('intruder'), 'dGone')).toBe('refused');
  });

  it("without an organization column on the relationship table, the caller must be a member of the scope row's organization", async () => {
    expect(await prove(byOwner, caller('member'))).toEqual({ organization: 'orgA' });
    expect(await prove(byOwner, caller('stranger'))).toBe('refused');
    expect(await proveScope(byOwner, db as unknown as QueryDatabase, undefined, caller('member'), 'dA')).toBe(
      'refused',
    ); // no lookup: fail closed
  });

  it("a team-scoped relationship counts only in the caller's active team of that organization", async () => {
    expect(await prove(byTeam, caller('member', 'orgA', 'team1'))).toEqual({ organization: 'orgA' });
    expect(await prove(byTeam, caller('member', 'orgA', 'team2'))).toBe('refused');
    expect(await prove(byTeam, caller('member', 'orgB', 'team1'))).toBe('refused');
  });
});
