/**
 * accessWhere (the list routes' row filter) on a real SQLite table, row by row against
 * evaluateAccess: for every rule and caller, the rows the SQL keeps are exactly the rows the
 * record check admits, `false` means none (403) and `true` means every row.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { accessWhere, evaluateAccess, type AccessRule } from './access.js';
import { anonymousContext, type AppContext } from '../core/context.js';

const tickets = sqliteTable('tickets', {
  id: text('id').primaryKey(),
  assigneeId: text('assignee_id'),
  status: text('status'),
  n: integer('n'),
});
const sqlite = new Database(':memory:');
sqlite.exec('CREATE TABLE tickets (id text primary key, assignee_id text, status text, n integer)');
const db = drizzle(sqlite);
const ROWS = [
  { id: 'r1', assigneeId: 'u1', status: 'open', n: 1 },
  { id: 'r2', assigneeId: 'u2', status: 'closed', n: 5 },
  { id: 'r3', assigneeId: null, status: null, n: 10 },
  { id: 'r4', assigneeId: 'u1', status: 'closed', n: null },
];
db.insert(tickets).values(ROWS).run();
const columnOf = (field: string) => (tickets as unknown as Record<string, never>)[field];

const member = (roles: string[], extra: Partial<AppContext> = {}): AppContext => ({
  ...anonymousContext,
  authenticated: true,
  userId: 'u1',
  activeOrgId: 'o1',
  roles,
  ...extra,
});
const cond = (field: string, op: string, value: unknown) =>
  ({ record: { [field]: { op, value } } }) as unknown as AccessRule;

function kept(rule: AccessRule, ctx: AppContext): string[] | boolean {
  const where = accessWhere(rule, ctx, columnOf);
  if (typeof where === 'boolean') return where;
  return db.select({ id: tickets.id }).from(tickets).where(where).all().map((r) => r.id).sort();
}
const admitted = (rule: AccessRule, ctx: AppContext) =>
  ROWS.filter((row) => evaluateAccess(rule, ctx, row)).map((r) => r.id);

const RULES: [string, AccessRule][] = [
  ['equals $ctx.userId', cond('assigneeId', 'equals', '$ctx.userId')],
  ['notEquals (null rows included)', cond('status', 'notEquals', 'closed')],
  ['in', cond('status', 'in', ['open', 'closed'])],
  ['notIn (null rows included)', cond('status', 'notIn', ['open'])],
  ['in with null (a null row is in no list)', cond('status', 'in', ['open', null])],
  ['notIn with null', cond('status', 'notIn', ['open', null])],
  ['lessThan', cond('n', 'lessThan', 5)],
  ['greaterThan', cond('n', 'greaterThan', 1)],
  ['lessThanOrEqual', cond('n', 'lessThanOrEqual', 5)],
  ['greaterThanOrEqual', cond('n', 'greaterThanOrEqual', 5)],
  ['or of a role and a record', {
    or: [{ roles: ['admin'] }, { roles: ['member'], ...cond('assigneeId', 'equals', '$ctx.userId') }],
  }],
  ['and of two records', { and: [cond('status', 'equals', 'closed'), cond('n', 'greaterThanOrEqual', 5)] }],
  [
    'two record conditions',
    { record: { status: { op: 'equals', value: 'closed' }, assigneeId: { op: 'equals', value: 'u1' } } } as AccessRule,
  ],
];

describe('accessWhere keeps exactly the rows evaluateAccess admits', () => {
  it.each(RULES)('%s', (_, rule) => {
    for (const ctx of [member(['member']), member(['admin']), member(['member'], { userId: 'u2' })]) {
      const rows = kept(rule, ctx);
      const expected = admitted(rule, ctx);
      expect(rows === true ? ROWS.map((r) => r.id) : rows).toEqual(expected);
    }
  });
});

describe('accessWhere: none, all, and the platform admin', () => {
  it('a rule with no record conditions: every row, or none when the roles do not match', () => {
    expect(kept({ roles: ['member'] }, member(['member']))).toBe(true);
    expect(kept({ roles: ['admin'] }, member(['member']))).toBe(false);
    expect(kept({}, anonymousContext)).toBe(false);
    expect(kept({ roles: ['PUBLIC'] }, anonymousContext)).toBe(true);
  });

  it('conditions that can never hold are false, not an empty SQL list', () => {
    expect(kept(cond('status', 'in', []), member([]))).toBe(false);
    expect(kept(cond('status', 'in', 'open'), member([]))).toBe(false);
    expect(kept(cond('status', 'notIn', 'open'), member([]))).toBe(false);
    expect(kept(cond('status', 'notIn', []), member([]))).toBe(true);
    expect(kept(cond('assigneeId', 'equals', '$ctx.activeTeamId'), member([]))).toBe(false);
    expect(kept(cond('noSuchField', 'equals', 'x'), member([]))).toBe(false);
    expect(kept({ or: [cond('noSuchField', 'equals', 'x'), { roles: ['owner'] }] }, member(['member']))).toBe(false);
  });

  it('or passes as soon as one branch passes every row; and fails as soon as one fails all', () => {
    expect(kept({ or: [{ roles: ['member'] }, cond('status', 'equals', 'open')] }, member(['member']))).toBe(true);
    expect(kept({ and: [{ roles: ['owner'] }, cond('status', 'equals', 'open')] }, member(['member']))).toBe(false);
    expect(kept({ and: [{ roles: ['member'] }, { roles: ['member'] }] }, member(['member']))).toBe(true);
  });

  it('the platform admin gets every row', () => {
    expect(kept(cond('assigneeId', 'equals', 'nobody'), member([], { userRole: 'admin' }))).toBe(true);
  });
});
