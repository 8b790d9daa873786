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

export interface AuthTables {
  member?: TableModel;
  user?: TableModel;
  teamMember?: TableModel;
}

export function authTablesOf(model: AppModel): AuthTables {
  const find = (name: string) => model.auth.tables.find((t) => t.name === name);
  return { member: find('member'), user: find('user'), teamMember: find('teamMember') };
}

export const col = (table: TableModel, key: string): string => {
  const column = table.columns.find((c) => c.key === key);
  if (!column)
    throw new QuickbackError('QB_INTERNAL', `RLS: table ${table.sqlName} has no column ${key}`, {
      hint: 'Report it with --debug output.',
    });
  return `"${column.sqlName}"`;
};
const qualified = (table: TableModel) => `public."${table.sqlName}"`;

/** The identity function a policy calls (always wrapped in a sub-select: one evaluation per query). */
function identityFunction(model: AppModel): string {
  return model.database.kind === 'supabase' ? "auth.jwt() ->> 'sub'" : 'auth.user_id()';
}

function identityShim(model: AppModel): string[] {
  const [name, returns, body] = model.database.kind === 'supabase'
    ? [
      'auth.jwt()',
      'jsonb',
      "select coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb",
    ]
    : [
      'auth.user_id()',
      'text',
      "select nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', '')",
    ];
  return [
    'CREATE SCHEMA IF NOT EXISTS auth',
    `DO $$ BEGIN\n  IF to_regprocedure('${name}') IS NULL THEN\n    CREATE FUNCTION ${name} RETURNS ${returns} LANGUAGE sql STABLE AS $f$ ${body} $f$;\n  END IF;\nEND $$`,
    'GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role',
    `GRANT EXECUTE ON FUNCTION ${name} TO anon, authenticated, service_role`,
  ];
}

/** A PL/pgSQL body: DECLAREd locals and statements, or a single expression to return. */
type Body = string | { declare?: string[]; statements: string[] };

/**
 * PL/pgSQL, not SQL: a SQL function with a SET clause is never inlined and re-plans its body on
 * every call, while PL/pgSQL keeps each statement's plan for the session. Bodies are written as
 * plain expressions where they can be (`RETURN expr`, `x := expr`): PL/pgSQL evaluates those
 * without starting the executor, while `RETURN (select ...)` starts it on every call (bench:rls).
 */
function fn(signature: string, returns: string, body: Body, definer = false): string {
  const { declare = [], statements } = typeof body === 'string' ? { statements: [`RETURN ${body};`] } : body;
  const locals = declare.length > 0 ? `DECLARE\n${declare.map((d) => `  ${d};`).join('\n')}\n` : '';
  return `CREATE OR REPLACE FUNCTION quickback.${signature} RETURNS ${returns} LANGUAGE plpgsql STABLE${
    definer ? ' SECURITY DEFINER' : ''
  } SET search_path = '' AS $f$\n${locals}BEGIN\n${statements.map((l) => `  ${l}`).join('\n')}\nEND\n$f$`;
}

/** The claims as jsonb, written out rather than called where a helper needs them: each nested helper call costs a function call with its own search_path. */
const CLAIMS = "nullif(current_setting('request.jwt.claims', true), '')::jsonb";

/**
 * A body that finds the organization (or team) a claim names, else the one the user's
 * user_sessions row holds (direct SQL clients), into `v_id`, then returns `result` for a signed-in
 * user (`none` otherwise); `trusted` lets a claimed id through unchecked.
 */
function activeBody(
  userId: string,
  claim: string,
  fallback: string | null,
  result: string,
  none: string,
  trusted?: string,
): Body {
  return {
    declare: [`v_claims jsonb := ${CLAIMS}`, `v_uid text := ${userId}`, 'v_id text'],
    statements: [
      `IF v_claims ? '${claim}' THEN`,
      `  v_id := v_claims ->> '${claim}';`,
      ...(trusted ? [`  IF ${trusted} THEN RETURN v_id; END IF;`] : []),
      ...(fallback ? ['ELSIF v_uid IS NOT NULL THEN', `  ${fallback}`] : []),
      'END IF;',
      `IF v_id IS NULL OR v_uid IS NULL THEN RETURN ${none}; END IF;`,
      `RETURN ${result};`,
    ],
  };
}

export function helperStatements(model: AppModel): string[] {
  const { member, user, teamMember } = authTablesOf(model);
  const sessions = model.rlsSupport?.table;
  const hasRole = user?.columns.some((c) => c.key === 'role');
  const isMember = (roles = '') =>
    member
      ? `exists (select 1 from ${qualified(member)} m where m.${col(member, 'organizationId')} = v_id and m.${
        col(member, 'userId')
      } = v_uid${roles})`
      : 'false';
  const inTeam = teamMember
    ? `exists (select 1 from ${qualified(teamMember)} t where t.${col(teamMember, 'teamId')} = v_id and t.${
      col(teamMember, 'userId')
    } = v_uid)`
    : 'false';
  const userId = `nullif(${identityFunction(model)}, '')`;
  const role = (into: string, then: string): Body =>
    hasRole && user
      ? {
        declare: ['v_role text'],
        statements: [
          `SELECT u.${col(user, 'role')} INTO v_role FROM ${qualified(user)} u WHERE u.${col(user, 'id')} = ${userId};`,
          `RETURN ${then};`,
        ],
      }
      : into;
  const fallback = (column: string) =>
    sessions ? `SELECT s."${column}" INTO v_id FROM ${qualified(sessions)} s WHERE s."user_id" = v_uid;` : null;
  return [
    ...identityShim(model),
    'CREATE SCHEMA IF NOT EXISTS quickback',
    'REVOKE ALL ON SCHEMA quickback FROM PUBLIC',
    fn('claims()', 'jsonb', CLAIMS),
    fn('user_id()', 'text', userId),
    fn('user_role()', 'text', role('null::text', 'v_role'), Boolean(hasRole)),
    fn('is_platform_admin()', 'boolean', role('false', "coalesce(v_role = 'admin', false)"), Boolean(hasRole)),
    fn(
      'get_active_org_id()',
      'text',
      activeBody(
        userId,
        'org_id',
        fallback('active_organization_id'),
        `CASE WHEN ${isMember()} THEN v_id END`,
        'NULL',
        'v_uid IS NULL OR quickback.is_platform_admin()',
      ),
      true,
    ),
    // A role in the active organization: a member row for the org get_active_org_id() would return
    // (a role there implies membership, so the platform admin's pass-through needs no check here).
    fn(
      'has_any_role(roles text[])',
      'boolean',
      member
        ? activeBody(
          userId,
          'org_id',
          fallback('active_organization_id'),
          isMember(` and string_to_array(replace(m.${col(member, 'role')}, ' ', ''), ',') && roles`),
          'false',
        )
        : 'false',
      true,
    ),
    fn('has_org_role(role text)', 'boolean', 'quickback.has_any_role(array[role])'),
    fn('is_org_member()', 'boolean', 'quickback.get_active_org_id() is not null'),
    fn('is_owner(owner_id text)', 'boolean', 'owner_id is not null and owner_id = quickback.user_id()'),
    fn(
      'active_team_id()',
      'text',
      activeBody(userId, 'team_id', fallback('active_team_id'), `CASE WHEN ${inTeam} THEN v_id END`, 'NULL'),
      true,
    ),
    `REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA quickback FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA quickback TO anon, authenticated, service_role`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA quickback TO anon, authenticated, service_role`,
  ];
}
