import { describe, expect, it } from 'vitest';
import type { AuthPlugin } from '../ir.js';
import { betterAuthTables } from './snapshot.js';
import { authTableModels, AUTH_PLUGIN_ORDER, mergeAuthTables } from './tables.js';

/** Seed of the random plugin sets (logged in the test names' order: fixed). */
const SEED = 20261125;

/**
 * The combinations compared with Better Auth: none, each plugin, each pair (plugins merge
 * fields into the same tables), all of them, and 64 random sets from a fixed seed. Every subset
 * (2^15) took 90 s for little more.
 */
function combinations<T>(items: T[]): T[][] {
  const pairs = items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b]));
  let state = SEED;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const sampled = Array.from({ length: 64 }, () => items.filter(() => random() < 0.5));
  return [[], ...items.map((p) => [p]), ...pairs, items, ...sampled];
}

describe('Better Auth tables', () => {
  it.each(combinations(AUTH_PLUGIN_ORDER).map((s, i) => [`${i}: ${s.join('+') || 'base'}`, s] as const))(
    `the committed snapshot matches the installed better-auth (%s; seed ${SEED}); if not, run npm run gen:auth-schema`,
    (_, plugins) => {
      const ours = mergeAuthTables(plugins as AuthPlugin[]);
      const theirs = betterAuthTables(plugins as AuthPlugin[]);
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const name of Object.keys(theirs)) expect(ours[name].fields).toEqual(theirs[name].fields);
    },
  );

  it('names tables per usePlurals and columns per namingConvention, keeping Better Auth field keys', () => {
    const tables = authTableModels(['organization'], {
      usePlurals: true,
      namingConvention: 'snake_case',
      database: 'auth',
    });
    const session = tables.find((t) => t.name === 'session')!;
    expect(session.exportName).toBe('sessions');
    expect(session.sqlName).toBe('sessions');
    const userId = session.columns.find((c) => c.key === 'userId')!;
    expect(userId).toMatchObject({
      sqlName: 'user_id',
      notNull: true,
      references: { table: 'users', column: 'id', onDelete: 'cascade' },
    });
    expect(session.columns.find((c) => c.key === 'activeOrganizationId')).toMatchObject({
      sqlName: 'active_organization_id',
      notNull: false,
    });
    expect(session.indexes).toEqual([{ name: 'sessions_user_id_idx', columns: ['userId'], unique: false }]);
    const camel = authTableModels([], { usePlurals: false, namingConvention: 'camelCase', database: 'auth' });
    expect(camel.map((t) => t.sqlName)).toEqual(['user', 'session', 'account', 'verification']);
    expect(camel[0].columns.find((c) => c.key === 'emailVerified')).toMatchObject({
      sqlName: 'emailVerified',
      storage: 'boolean',
      default: { kind: 'value', value: false },
    });
  });
});
