import { describe, expect, it } from 'vitest';
import { allowsAnonymous, evaluateAccess, type AccessRule } from './access.js';
import { anonymousContext, type AppContext } from '../core/context.js';

const member = (roles: string[], extra: Partial<AppContext> = {}): AppContext => ({
  ...anonymousContext,
  authenticated: true,
  userId: 'u1',
  activeOrgId: 'o1',
  roles,
  ...extra,
});

describe('evaluateAccess', () => {
  it('PUBLIC admits anonymous callers; {} needs a signed-in user', () => {
    expect(evaluateAccess({ roles: ['PUBLIC'] }, anonymousContext)).toBe(true);
    expect(evaluateAccess({}, anonymousContext)).toBe(false);
    expect(evaluateAccess({}, member([]))).toBe(true);
  });

  it('matches organization roles (already expanded at compile time)', () => {
    const rule: AccessRule = { roles: ['admin', 'owner'] };
    expect(evaluateAccess(rule, member(['admin']))).toBe(true);
    expect(evaluateAccess(rule, member(['member']))).toBe(false);
    expect(evaluateAccess(rule, anonymousContext)).toBe(false);
  });

  it('matches the platform userRole', () => {
    expect(evaluateAccess({ userRole: ['admin'] }, member([], { userRole: 'admin' }))).toBe(true);
    expect(evaluateAccess({ userRole: ['admin'] }, member([], { userRole: 'user' }))).toBe(false);
  });

  it('judges record conditions only when a record is given, with $ctx values', () => {
    const rule: AccessRule = {
      roles: ['member'],
      record: { assigneeId: { op: 'equals', value: '$ctx.userId' } },
    } as AccessRule;
    expect(evaluateAccess(rule, member(['member']))).toBe(true);
    expect(evaluateAccess(rule, member(['member']), { assigneeId: 'u1' })).toBe(true);
    expect(evaluateAccess(rule, member(['member']), { assigneeId: 'u2' })).toBe(false);
  });

  it.each(
    [
      ['notEquals', 'a', 'b', true],
      ['in', ['a', 'b'], 'b', true],
      ['notIn', ['a'], 'a', false],
      ['lessThan', 5, 4, true],
      ['greaterThan', 5, 4, false],
      ['lessThanOrEqual', 5, 5, true],
      ['greaterThanOrEqual', 5, 'x', false],
    ] as const,
  )('%s %j against %j → %s', (op, value, actual, expected) => {
    const rule = { record: { n: { op, value } } } as unknown as AccessRule;
    expect(evaluateAccess(rule, member([]), { n: actual })).toBe(expected);
  });

  it('combines or / and', () => {
    const rule: AccessRule = { or: [{ roles: ['owner'] }, { and: [{ roles: ['member'] }, { userRole: ['admin'] }] }] };
    expect(evaluateAccess(rule, member(['owner']))).toBe(true);
    expect(evaluateAccess(rule, member(['member'], { userRole: 'admin' }))).toBe(true);
    expect(evaluateAccess(rule, member(['member']))).toBe(false);
    expect(allowsAnonymous(rule)).toBe(false);
    expect(allowsAnonymous({ or: [{ roles: ['PUBLIC'] }, { roles: ['owner'] }] })).toBe(true);
  });
});

describe('evaluateAccess: operands that never match', () => {
  it('a null or missing expected value (a $ctx path the caller lacks) matches nothing, not even null', () => {
    const rule = { record: { teamId: { op: 'equals', value: '$ctx.activeTeamId' } } } as unknown as AccessRule;
    expect(evaluateAccess(rule, member([]), { teamId: null })).toBe(false);
    expect(
      evaluateAccess(
        { record: { n: { op: 'notEquals', value: '$ctx.user.missing' } } } as unknown as AccessRule,
        member([]),
        { n: 'x' },
      ),
    ).toBe(false);
  });

  it.each([[null], [undefined], [''], ['abc']])('a comparison with actual %j is false both ways', (actual) => {
    for (const op of ['lessThan', 'greaterThan', 'lessThanOrEqual', 'greaterThanOrEqual']) {
      expect(evaluateAccess({ record: { n: { op, value: 5 } } } as unknown as AccessRule, member([]), { n: actual }))
        .toBe(false);
    }
  });

  it('comparisons read numbers from text on both sides; a non-numeric bound matches nothing', () => {
    const cmp = (op: string, value: unknown, n: unknown) =>
      evaluateAccess({ record: { n: { op, value } } } as unknown as AccessRule, member([]), { n });
    expect([
      cmp('lessThan', '10', '9'),
      cmp('greaterThan', 5, 6),
      cmp('greaterThanOrEqual', 5, 5),
      cmp('lessThanOrEqual', 5, 6),
    ]).toEqual([true, true, true, false]);
    expect([cmp('lessThan', 'x', 1), cmp('greaterThan', 5, 5), cmp('lessThan', 5, 5)]).toEqual([false, false, false]);
    expect([cmp('in', 'a', 'a'), cmp('notIn', 'a', 'b')]).toEqual([false, false]);
  });

  it('a platform admin passes every rule and record condition; a signed-out "admin" does not', () => {
    const rule: AccessRule = { roles: ['owner'], record: { n: { op: 'equals', value: 1 } } } as AccessRule;
    expect(evaluateAccess(rule, member([], { userRole: 'admin' }), { n: 2 })).toBe(true);
    expect(evaluateAccess(rule, { ...anonymousContext, userRole: 'admin' }, { n: 1 })).toBe(false);
    expect(evaluateAccess({ userRole: ['user'] }, member([], { userRole: null }))).toBe(false);
    expect(evaluateAccess({ userRole: ['admin'] }, { ...anonymousContext, userRole: 'admin' })).toBe(false);
    expect(evaluateAccess({ roles: ['member'] }, { ...member(['member']), authenticated: false })).toBe(false);
  });
});
