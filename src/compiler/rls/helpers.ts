/**
 * @module compiler/rls/helpers
 * The RLS helper functions of seed 001, TEXT-typed for Better Auth's prefixed ids, in the
 * non-exposed `quickback` schema: `search_path` pinned to '' (every name qualified), EXECUTE
 * revoked from PUBLIC and granted to the API's roles, SECURITY DEFINER only where they read
 * tables those roles cannot (members, users, user_sessions).
 *
 * Identity: Neon's `auth.user_id()` (Neon Authorize), Supabase's `auth.jwt() ->> 'sub'` (the claim
 * `auth.uid()` reads, kept as text because `auth.uid()` casts it to uuid and Better Auth's ids are
 * not uuids). Where the database lacks them (a local PostgreSQL) a compatible definition reading
 * `request.jwt.claims` is created; an existing one is never replaced.
 *
 * The active organization is the `org_id` claim the API sets per transaction, honoured for
 * members and platform admins (anonymous callers only reach rows public policies allow), else
 * the user's row in user_sessions (a direct SQL client), again only while they are a member.
 */
import { QuickbackError } from '../../shared/errors.js';
import type { AppModel, TableModel } from '../model/ir.js';

export interface AuthTables { member?: TableModel; user?: TableModel; teamMember?: TableModel }

export function authTablesOf(model: AppModel): AuthTables {
  const find = (name: string) => model.auth.tables.find((t) => t.name === name);
  return { member: find('member'), user: find('user'), teamMember: find('teamMember') };
}

export const col = (table: TableModel, key: string): string => {
  const column = table.columns.find((c) => c.key === key);
  if (!column) throw new QuickbackError('QB_INTERNAL', `RLS: table ${table.sqlName} has no column ${key}`, { hint: 'Report it with --debug output.' });
  return `"${column.sqlName}"`;
};
const qualified = (table: TableModel) => `public."${table.sqlName}"`;

/** The identity function a policy calls (always wrapped in a sub-select: one evaluation per query). */
function identityFunction(model: AppModel): string {
  return model.database.kind === 'supabase' ? "auth.jwt() ->> 'sub'" : 'auth.user_id()';
}

function identityShim(model: AppModel): string[] {
  const [name, returns, body] = model.database.kind === 'supabase'
    ? ['auth.jwt()', 'jsonb', "select coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb"]
    : ['auth.user_id()', 'text', "select nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', '')"];
  return [
    'CREATE SCHEMA IF NOT EXISTS auth',
    `DO $$ BEGIN\n  IF to_regprocedure('${name}') IS NULL THEN\n    CREATE FUNCTION ${name} RETURNS ${returns} LANGUAGE sql STABLE AS $f$ ${body} $f$;\n  END IF;\nEND $$`,
    'GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role',
    `GRANT EXECUTE ON FUNCTION ${name} TO anon, authenticated, service_role`,
  ];
}

/**
 * PL/pgSQL, not SQL: a SQL function with a SET clause is never inlined and re-plans its body on
 * every call, while PL/pgSQL keeps each statement's plan for the session (bench:rls: 0.34× → see README).
 */
function fn(signature: string, returns: string, body: string, definer = false): string {
  return `CREATE OR REPLACE FUNCTION quickback.${signature} RETURNS ${returns} LANGUAGE plpgsql STABLE${definer ? ' SECURITY DEFINER' : ''} SET search_path = '' AS $f$\nBEGIN\n  RETURN (${body.replace(/\n/g, '\n  ')});\nEND\n$f$`;
}

export function helperStatements(model: AppModel): string[] {
  const { member, user, teamMember } = authTablesOf(model);
  const sessions = model.rlsSupport?.table;
  const hasRole = user?.columns.some((c) => c.key === 'role');
  const isMember = (org: string) => member
    ? `exists (select 1 from ${qualified(member)} m where m.${col(member, 'organizationId')} = ${org} and m.${col(member, 'userId')} = quickback.user_id())`
    : 'false';
  const fallbackOrg = sessions ? `(select s."active_organization_id" from ${qualified(sessions)} s where s."user_id" = quickback.user_id())` : 'null::text';
  const fallbackTeam = sessions ? `(select s."active_team_id" from ${qualified(sessions)} s where s."user_id" = quickback.user_id())` : 'null::text';
  const teamOk = (team: string) => teamMember
    ? `exists (select 1 from ${qualified(teamMember)} t where t.${col(teamMember, 'teamId')} = ${team} and t.${col(teamMember, 'userId')} = quickback.user_id())`
    : 'false';
  return [
    ...identityShim(model),
    'CREATE SCHEMA IF NOT EXISTS quickback',
    'REVOKE ALL ON SCHEMA quickback FROM PUBLIC',
    fn('claims()', 'jsonb', "select nullif(current_setting('request.jwt.claims', true), '')::jsonb"),
    fn('user_id()', 'text', `select nullif(${identityFunction(model)}, '')`),
    fn('user_role()', 'text', hasRole && user ? `select u.${col(user, 'role')} from ${qualified(user)} u where u.${col(user, 'id')} = quickback.user_id()` : 'select null::text', true),
    fn('is_platform_admin()', 'boolean', "select coalesce(quickback.user_role() = 'admin', false)"),
    fn('get_active_org_id()', 'text', [
      "select case when quickback.claims() ? 'org_id' then (",
      "    select o from (select quickback.claims() ->> 'org_id' as o) c",
      `    where quickback.user_id() is null or quickback.is_platform_admin() or ${isMember('c.o')})`,
      `  else (select o from (select ${fallbackOrg} as o) s where ${isMember('s.o')}) end`,
    ].join('\n'), true),
    fn('has_any_role(roles text[])', 'boolean', member
      ? `select exists (select 1 from ${qualified(member)} m where m.${col(member, 'organizationId')} = quickback.get_active_org_id() and m.${col(member, 'userId')} = quickback.user_id() and string_to_array(replace(m.${col(member, 'role')}, ' ', ''), ',') && roles)`
      : 'select false', true),
    fn('has_org_role(role text)', 'boolean', 'select quickback.has_any_role(array[role])'),
    fn('is_org_member()', 'boolean', 'select quickback.get_active_org_id() is not null'),
    fn('is_owner(owner_id text)', 'boolean', 'select owner_id is not null and owner_id = quickback.user_id()'),
    fn('active_team_id()', 'text', [
      "select case when quickback.claims() ? 'team_id' then (",
      `    select t from (select quickback.claims() ->> 'team_id' as t) c where ${teamOk('c.t')})`,
      `  else (select t from (select ${fallbackTeam} as t) s where ${teamOk('s.t')}) end`,
    ].join('\n'), true),
    `REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA quickback FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA quickback TO anon, authenticated, service_role`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA quickback TO anon, authenticated, service_role`,
  ];
}
