import { describe, expect, it } from 'vitest';
import type { AuthPlugin } from '../ir.js';
import { betterAuthTables } from './snapshot.js';
import { authTableModels, AUTH_PLUGIN_ORDER, mergeAuthTables } from './tables.js';

function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => acc.concat(acc.map((s) => [...s, item])), [[]]);
}

describe('Better Auth tables', () => {
  it.each(subsets(AUTH_PLUGIN_ORDER).map((s) => [s.join('+') || 'base', s] as const))(
    'the committed snapshot matches the installed better-auth (%s); if not, run npm run gen:auth-schema',
    (_, plugins) => {
      const ours = mergeAuthTables(plugins as AuthPlugin[]);
      const theirs = betterAuthTables(plugins as AuthPlugin[]);
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const name of Object.keys(theirs)) expect(ours[name].fields).toEqual(theirs[name].fields);
    },
  );

  it('names tables per usePlurals and columns per namingConvention, keeping Better Auth field keys', () => {
    const tables = authTableModels(['organization'], { usePlurals: true, namingConvention: 'snake_case', database: 'auth' });
    const session = tables.find((t) => t.name === 'session')!;
    expect(session.exportName).toBe('sessions');
    expect(session.sqlName).toBe('sessions');
    const userId = session.columns.find((c) => c.key === 'userId')!;
    expect(userId).toMatchObject({ sqlName: 'user_id', notNull: true, references: { table: 'users', column: 'id', onDelete: 'cascade' } });
    expect(session.columns.find((c) => c.key === 'activeOrganizationId')).toMatchObject({ sqlName: 'active_organization_id', notNull: false });
    expect(session.indexes).toEqual([{ name: 'sessions_user_id_idx', columns: ['userId'], unique: false }]);
    const camel = authTableModels([], { usePlurals: false, namingConvention: 'camelCase', database: 'auth' });
    expect(camel.map((t) => t.sqlName)).toEqual(['user', 'session', 'account', 'verification']);
    expect(camel[0].columns.find((c) => c.key === 'emailVerified')).toMatchObject({ sqlName: 'emailVerified', storage: 'boolean', default: { kind: 'value', value: false } });
  });
});
