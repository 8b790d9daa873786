/**
 * @module compiler/model/rls-support
 * `user_sessions` (seed 001), present on PostgreSQL targets with Better Auth: one row per user
 * with the active organization and team of their latest session create/update, mirrored by
 * generated session hooks. The RLS helpers fall back to it when a request's claims do not name
 * the organization (a direct SQL client with a Neon Authorize JWT). Fixed SQL names, as the seed
 * documents them; the user id is the key, so each lookup is one index probe.
 */
import type { ColumnModel, DatabaseModel, TableModel } from './ir.js';

export const USER_SESSIONS_TABLE = 'user_sessions';

const column = (key: string, sqlName: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({
  key,
  sqlName,
  storage: 'text',
  notNull: false,
  unique: false,
  ...extra,
});

export function rlsSupportModel(db: DatabaseModel, betterAuth: boolean): { table: TableModel } | null {
  if (db.dialect !== 'postgresql' || !betterAuth) return null;
  return {
    table: {
      name: USER_SESSIONS_TABLE,
      exportName: 'userSessions',
      sqlName: USER_SESSIONS_TABLE,
      database: 'features',
      columns: [
        column('userId', 'user_id', { primaryKey: true, notNull: true }),
        column('activeOrganizationId', 'active_organization_id'),
        column('activeTeamId', 'active_team_id'),
        column('updatedAt', 'updated_at', { notNull: true, default: { kind: 'now' } }),
      ],
      indexes: [],
    },
  };
}
