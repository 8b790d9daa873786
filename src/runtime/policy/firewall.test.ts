/**
 * The firewall on a real (in-memory) SQLite database: which rows its WHERE clause lets through for
 * each caller, the scope values stamped on insert, and the refusals before any query.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonymousContext, type AppContext } from '../core/context.js';
import { apiError } from '../core/errors.js';
import { firewallWhere, notFound, requireScope, scopeValues } from './firewall.js';
import type { FirewallPredicate, ResourceDefinition } from '../core/resource.js';

const notes = sqliteTable('notes', {
  id: text('id').primaryKey(),
  organizationId: text('organization_id'),
  ownerId: text('owner_id'),
  teamId: text('team_id'),
  deletedAt: text('deleted_at'),
});
const sqlite = new Database(':memory:');
const db = drizzle(sqlite);

const ROWS = [
  { id: 'a1', organizationId: 'orgA', ownerId: 'u1', teamId: 't1', deletedAt: null },
  { id: 'a2', organizationId: 'orgA', ownerId: 'u2', teamId: 't2', deletedAt: null },
  { id: 'a3', organizationId: 'orgA', ownerId: 'u1', teamId: 't1', deletedAt: '2026-01-01' },
  { id: 'b1', organizationId: 'orgB', ownerId: 'u1', teamId: 't1', deletedAt: null },
  { id: 'n1', organizationId: null, ownerId: null, teamId: null, deletedAt: null },
];
beforeAll(() => {
  sqlite.exec(
    'CREATE TABLE notes (id text primary key, organization_id text, owner_id text, team_id text, deleted_at text)',
  );
  db.insert(notes).values(ROWS).run();
});

const ORG: FirewallPredicate = { column: 'organizationId', equals: 'ctx.activeOrgId' };
const OWNER: FirewallPredicate = { column: 'ownerId', equals: 'ctx.userId' };
const TEAM: FirewallPredicate = { column: 'teamId', equals: 'ctx.activeTeamId' };
const LIVE: FirewallPredicate = { column: 'deletedAt', isNull: true };

const resource = (predicates: FirewallPredicate[], errorMode: 'reveal' | 'hide' = 'reveal') =>
  ({ name: 'notes', table: notes, firewall: { predicates, errorMode } }) as unknown as ResourceDefinition;
const caller = (extra: Partial<AppContext> = {}): AppContext => ({
  ...anonymousContext,
  authenticated: true,
  userId: 'u1',
  activeOrgId: 'orgA',
  activeTeamId: 't1',
  roles: ['member'],
  ...extra,
});

const visible = (predicates: FirewallPredicate[], ctx: AppContext) =>
  db.select({ id: notes.id }).from(notes).where(firewallWhere(resource(predicates), ctx)).all().map((r) => r.id).sort();

describe('firewallWhere: the rows each caller reaches', () => {
  it('the organization and soft delete: only live rows of the active organization', () => {
    expect(visible([ORG, LIVE], caller())).toEqual(['a1', 'a2']);
    expect(visible([ORG, LIVE], caller({ activeOrgId: 'orgB' }))).toEqual(['b1']);
    expect(visible([ORG], caller())).toEqual(['a1', 'a2', 'a3']);
  });

  it('owner and team predicates read the user and the active team, all ANDed', () => {
    expect(visible([OWNER], caller())).toEqual(['a1', 'a3', 'b1']);
    expect(visible([ORG, OWNER, LIVE], caller())).toEqual(['a1']);
    expect(visible([ORG, TEAM], caller({ activeTeamId: 't2' }))).toEqual(['a2']);
    expect(visible([ORG, OWNER, TEAM, LIVE], caller({ userId: 'u2', activeTeamId: 't1' }))).toEqual([]);
  });

  it('a table without predicates has no WHERE clause', () => {
    expect(firewallWhere(resource([]), anonymousContext)).toBeUndefined();
    expect(visible([], anonymousContext)).toEqual(['a1', 'a2', 'a3', 'b1', 'n1']);
  });

  it('a predicate on a column the table lacks is a bug, not an open table', () => {
    expect(() => firewallWhere(resource([{ column: 'tenant', equals: 'ctx.activeOrgId' }]), caller())).toThrow(
      'firewall column tenant missing on notes',
    );
  });
});

describe('requireScope: refusals before any query', () => {
  const refusal = (predicates: FirewallPredicate[], ctx: AppContext, signIn?: () => ReturnType<typeof apiError>) => {
    try {
      requireScope(resource(predicates), ctx, signIn);
      return null;
    } catch (err) {
      return { code: (err as { code: string }).code, hint: (err as { hint?: string }).hint };
    }
  };

  it('no active organization: ORG_REQUIRED, with the hint for signed-in and anonymous callers', () => {
    expect(refusal([ORG], caller({ activeOrgId: null }))).toEqual({
      code: 'ORG_REQUIRED',
      hint: expect.stringContaining('organization/set-active'),
    });
    // A new user has no organization to set active: the hint also says how to create one.
    expect(refusal([ORG], caller({ activeOrgId: null }))?.hint).toContain('POST /auth/v1/organization/create');
    expect(refusal([ORG], anonymousContext)).toEqual({
      code: 'ORG_REQUIRED',
      hint: 'Add ?organizationId=<id> to address an organization.',
    });
    expect(firewallWhere.bind(null, resource([LIVE, ORG]), caller({ activeOrgId: null }))).toThrow(
      'An active organization is required',
    );
  });

  it('no active team: TEAM_REQUIRED when signed in, sign in first when not', () => {
    expect(refusal([TEAM], caller({ activeTeamId: null }))).toEqual({
      code: 'TEAM_REQUIRED',
      hint: expect.stringContaining('set-active-team'),
    });
    expect(refusal([TEAM], anonymousContext)).toEqual({
      code: 'AUTH_MISSING',
      hint: 'Sign in first: POST /auth/v1/sign-in/email',
    });
  });

  it('an owner predicate without a user: the sign-in error the route passes, else AUTH_MISSING', () => {
    expect(refusal([OWNER], anonymousContext)).toEqual({
      code: 'AUTH_MISSING',
      hint: 'Sign in first: POST /auth/v1/sign-in/email',
    });
    expect(refusal([OWNER], anonymousContext, () => apiError('AUTH_EXPIRED'))).toEqual({
      code: 'AUTH_EXPIRED',
      hint: undefined,
    });
  });

  it('passes when every value is there; isNull predicates need nothing from the caller', () => {
    expect(refusal([ORG, OWNER, TEAM, LIVE], caller())).toBeNull();
    expect(refusal([LIVE], anonymousContext)).toBeNull();
    expect(refusal([], anonymousContext)).toBeNull();
  });
});

describe('scopeValues and notFound', () => {
  it('stamps each scope column from the context, never the soft-delete column', () => {
    expect(scopeValues(resource([ORG, OWNER, TEAM, LIVE]), caller())).toEqual({
      organizationId: 'orgA',
      ownerId: 'u1',
      teamId: 't1',
    });
    expect(scopeValues(resource([LIVE]), caller())).toEqual({});
  });

  it('hide answers a plain 404, reveal the firewall 403 naming the resource', () => {
    expect(notFound(resource([ORG], 'hide'))).toMatchObject({ code: 'NOT_FOUND', status: 404, hint: undefined });
    expect(notFound(resource([ORG], 'reveal'))).toMatchObject({
      code: 'FIREWALL_NOT_FOUND',
      status: 403,
      hint: 'No notes record with this id is visible to you.',
    });
  });
});
