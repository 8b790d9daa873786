/**
 * @module compiler/rls/lint
 * A lint pass over a migrated PostgreSQL database, in the spirit of Supabase's splinter: tables
 * in `public` without RLS (or without FORCE), policies calling an auth or helper function per
 * row instead of once per query (not wrapped in a sub-select, so no InitPlan), policy columns
 * no index leads with, and API roles that would bypass RLS (superuser, BYPASSRLS, table owner, and
 * the API's login `quickback_api` holding its roles' privileges without SET ROLE: INHERIT).
 * `quickback migrate` runs it after applying; the RLS tests assert it finds nothing.
 */

import { API_LOGIN } from './layer.js';

export type LintRule =
  | 'rls_disabled'
  | 'rls_not_forced'
  | 'policy_without_initplan'
  | 'unindexed_policy_column'
  | 'api_role_bypasses_rls';
export interface LintFinding {
  rule: LintRule;
  table?: string;
  detail: string;
}
export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const CALL = /\b(quickback|auth)\.\w+\(/g;
const WRAPPED = /\(\s*SELECT\s+(quickback|auth)\.\w+\(/gi;

/** Calls of auth/helper functions in a policy expression that are not the head of a sub-select. */
export function unwrappedCalls(expression: string): number {
  return (expression.match(CALL)?.length ?? 0) - (expression.match(WRAPPED)?.length ?? 0);
}

export async function lintRls(
  query: Query,
  apiRoles: readonly string[] = ['anon', 'authenticated', API_LOGIN],
): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  const tables = await query(
    `select c.oid::int as oid, c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced
    from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by c.relname`,
  );
  for (const t of tables) {
    if (!t.rls) findings.push({ rule: 'rls_disabled', table: String(t.name), detail: 'row level security is off' });
    else if (!t.forced)
      findings.push({
        rule: 'rls_not_forced',
        table: String(t.name),
        detail: 'the owner bypasses its policies (no FORCE ROW LEVEL SECURITY)',
      });
  }
  const policies = await query(
    `select tablename as table, policyname as name, coalesce(qual, '') as qual, coalesce(with_check, '') as check from pg_policies where schemaname = 'public' order by tablename, policyname`,
  );
  const indexed = await query(
    `select c.relname as table, a.attname as column from pg_index i join pg_class c on c.oid = i.indrelid
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0] where c.relnamespace = 'public'::regnamespace`,
  );
  const columns = await query(
    `select c.relname as table, a.attname as column from pg_attribute a join pg_class c on c.oid = a.attrelid
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped`,
  );
  const leads = new Set(indexed.map((r) => `${r.table}.${r.column}`));
  for (const p of policies) {
    const text = `${p.qual} ${p.check}`;
    if (unwrappedCalls(text) > 0)
      findings.push({
        rule: 'policy_without_initplan',
        table: String(p.table),
        detail: `policy ${p.name} calls a function per row: wrap it as (select fn())`,
      });
    for (const c of columns.filter((col) => col.table === p.table)) {
      const name = String(c.column);
      if (new RegExp(`(^|[^\\w.])"?${name}"?\\s*(=|<>|<|>|IN|IS)`).test(text) && !leads.has(`${p.table}.${name}`)) {
        findings.push({
          rule: 'unindexed_policy_column',
          table: String(p.table),
          detail: `policy ${p.name} reads ${name}, which no index leads with`,
        });
      }
    }
  }
  const roles = await query(
    `select r.rolname as role, r.rolsuper as super, r.rolbypassrls as bypass, r.rolcanlogin and r.rolinherit as inherits,
      exists (select 1 from pg_class c where c.relowner = r.oid and c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')) as owner
    from pg_roles r where r.rolname = any($1) order by r.rolname`,
    [apiRoles],
  );
  for (const r of roles) {
    const why = r.super ? 'is a superuser' : r.bypass ? 'has BYPASSRLS' : r.owner
      ? 'owns tables in public'
      : r.inherits
      ? 'logs in with the privileges of the roles it switches to (make it NOINHERIT)'
      : null;
    if (why) findings.push({ rule: 'api_role_bypasses_rls', detail: `${r.role} ${why}: policies do not bind it` });
  }
  return findings;
}
