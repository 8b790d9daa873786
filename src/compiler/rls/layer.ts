/**
 * @module compiler/rls/layer
 * The RLS layer of a PostgreSQL app (seed 001) as one idempotent SQL script: the API's roles,
 * the helper functions, then for every table ENABLE + FORCE ROW LEVEL SECURITY, grants, and its
 * policies, each preceded by DROP POLICY IF EXISTS. Pure and deterministic, so its hash says
 * whether the security config changed.
 *
 * Roles: `anon` and `authenticated` are what API queries run as (the API switches to one per
 * transaction); neither owns anything nor bypasses RLS. `service_role` is granted to the
 * migrating role (DATABASE_URL's, which Better Auth and the key store use) and has an
 * allow-all policy on every table; with FORCE, that is the only way the owner reads a table.
 * The API logs in as `quickback_api`: NOINHERIT, owns nothing, granted the three roles only to
 * switch to them, so `RESET ROLE` in its session leaves it with no privilege at all.
 */
import type { AppModel, FeatureModel, TableModel } from '../model/ir.js';
import { authTablesOf, col, helperStatements } from './helpers.js';
import { accessPredicate, call, combine, FALSE, firewallPredicate, type Principal } from './policies.js';

export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const;
const COMMANDS = [
  'service',
  'deny_anon',
  'select',
  'select_anon',
  'insert',
  'update',
  'delete',
  'select_self',
] as const;

export interface Policy {
  name: string;
  command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  role: string;
  using?: string;
  check?: string;
}
export interface TablePolicies {
  table: TableModel;
  policies: Policy[];
  grants: { authenticated: string[]; anon: string[] };
}

/** The role the API logs in as (runtime pg-login.ts): switches to the three roles above, is nothing by itself. */
export const API_LOGIN = 'quickback_api';

/**
 * Roles are cluster-wide and several databases may migrate at once (tests, CI): creation and
 * membership tolerate a concurrent twin (duplicate_object, unique_violation) instead of failing.
 */
function rolesPrelude(): string[] {
  const create = (role: string, options: string) =>
    `  BEGIN\n    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} ${options}; END IF;\n  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;\n  END;`;
  return [
    `DO $$ BEGIN\n${
      [
        ...API_ROLES.map((r) => create(r, 'NOLOGIN')),
        create(API_LOGIN, 'LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'),
      ].join('\n')
    }\nEND $$`,
    // The migrating role acts as service_role (its policies) and may switch to anon/authenticated per transaction.
    `DO $$ BEGIN\n  GRANT ${
      API_ROLES.join(', ')
    } TO CURRENT_USER;\nEXCEPTION\n  WHEN unique_violation THEN NULL;\n  WHEN insufficient_privilege THEN RAISE NOTICE 'quickback: grant ${
      API_ROLES.join(', ')
    } to % by hand (the API switches to them per transaction)', current_user;\nEND $$`,
    // The API's login: a member of the three roles without their privileges (NOINHERIT), so RESET ROLE leaves it with none.
    `DO $$ BEGIN\n  GRANT ${
      API_ROLES.join(', ')
    } TO ${API_LOGIN};\nEXCEPTION\n  WHEN unique_violation THEN NULL;\n  WHEN insufficient_privilege THEN RAISE NOTICE 'quickback: grant ${
      API_ROLES.join(', ')
    } to ${API_LOGIN} by hand (the API logs in as it)';\nEND $$`,
    'GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role',
    // The API (as service_role) reads which migrations are applied, and answers 503 while some are not (runtime migrations-status.ts).
    'DO $$ BEGIN\n  GRANT USAGE ON SCHEMA drizzle TO service_role;\n  GRANT SELECT ON drizzle.__drizzle_migrations TO service_role;\nEXCEPTION WHEN invalid_schema_name OR undefined_table THEN NULL;\nEND $$',
  ];
}

const base = (table: TableModel): Policy[] => [
  { name: `${table.sqlName}_service`, command: 'ALL', role: 'service_role', using: 'true', check: 'true' },
  { name: `${table.sqlName}_deny_anon`, command: 'ALL', role: 'anon', using: 'false', check: 'false' },
];

function featurePolicies(feature: FeatureModel, organizations: boolean): TablePolicies {
  const { table } = feature;
  const out: TablePolicies = { table, policies: base(table), grants: { authenticated: [], anon: [] } };
  if (feature.internal) return out;
  const scoped = (who: Principal, rule: FeatureModel['access']['read']) =>
    combine.and([firewallPredicate(feature, who), accessPredicate(rule, feature, who, organizations)]);
  const add = (name: string, command: Policy['command'], role: Principal, using?: string, check?: string) => {
    if ((using ?? check) === FALSE) return;
    out.policies.push({
      name: `${table.sqlName}_${name}`,
      command,
      role,
      ...(using ? { using } : {}),
      ...(check ? { check } : {}),
    });
    out.grants[role].push(command);
  };
  add('select', 'SELECT', 'authenticated', scoped('authenticated', feature.access.read));
  add('select_anon', 'SELECT', 'anon', scoped('anon', feature.access.read));
  add('insert', 'INSERT', 'authenticated', undefined, scoped('authenticated', feature.access.create));
  // A soft delete is an UPDATE of the deletion columns: delete access allows it too.
  const update = combine.or([
    scoped('authenticated', feature.access.update),
    ...(feature.deleteMode === 'soft' ? [scoped('authenticated', feature.access.delete)] : []),
  ]);
  add(
    'update',
    'UPDATE',
    'authenticated',
    update,
    update === FALSE ? undefined : firewallPredicate(feature, 'authenticated'),
  );
  if (feature.deleteMode === 'hard')
    add('delete', 'DELETE', 'authenticated', scoped('authenticated', feature.access.delete));
  return out;
}

/** Better Auth's tables, user_sessions, org_data_keys and the webhook tables: service only, plus the caller's own user, memberships and session row. */
function supportPolicies(model: AppModel): TablePolicies[] {
  const { member, user } = authTablesOf(model);
  const self = (table: TableModel, column: string): Policy => ({
    name: `${table.sqlName}_select_self`,
    command: 'SELECT',
    role: 'authenticated',
    using: `${column} = ${call('user_id()')}`,
  });
  const tables = [
    ...model.auth.tables,
    ...(model.rlsSupport ? [model.rlsSupport.table] : []),
    ...(model.encryption ? [model.encryption.table] : []),
    ...(model.webhooks
      ? [model.webhooks.tables.endpoints, model.webhooks.tables.deliveries, model.webhooks.tables.events]
      : []),
  ];
  return tables.map((table) => {
    const own = table === user
      ? self(table, col(table, 'id'))
      : table === member
      ? self(table, col(table, 'userId'))
      : table === model.rlsSupport?.table
      ? self(table, '"user_id"')
      : null;
    return {
      table,
      policies: [...base(table), ...(own ? [own] : [])],
      grants: { authenticated: own ? ['SELECT'] : [], anon: [] },
    };
  });
}

/** `idempotency_keys`: a caller reads and writes their own keys only (the API stores them in the request's transaction, as the caller). */
function idempotencyPolicies(table: TableModel): TablePolicies {
  const own = `"user_id" = ${call('user_id()')}`;
  const commands = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
  const policies: Policy[] = commands.map((command) => ({
    name: `${table.sqlName}_${command.toLowerCase()}`,
    command,
    role: 'authenticated',
    ...(command === 'INSERT' ? { check: own } : command === 'UPDATE' ? { using: own, check: own } : { using: own }),
  }));
  return { table, policies: [...base(table), ...policies], grants: { authenticated: [...commands], anon: [] } };
}

export function tablePolicies(model: AppModel): TablePolicies[] {
  const organizations = model.auth.plugins.includes('organization');
  return [
    ...model.features.map((f) => featurePolicies(f, organizations)),
    ...supportPolicies(model),
    ...(model.idempotency ? [idempotencyPolicies(model.idempotency.table)] : []),
  ];
}

function policySql(table: string, p: Policy): string {
  return `CREATE POLICY "${p.name}" ON public."${table}" AS PERMISSIVE FOR ${p.command} TO ${p.role}${
    p.using ? `\n  USING (${p.using})` : ''
  }${p.check ? `\n  WITH CHECK (${p.check})` : ''}`;
}

function tableStatements({ table, policies, grants }: TablePolicies): string[] {
  const t = `public."${table.sqlName}"`;
  const out = [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
    `REVOKE ALL ON ${t} FROM anon, authenticated`,
    `GRANT ALL ON ${t} TO service_role`,
  ];
  for (const [role, commands] of Object.entries(grants)) {
    const unique = [...new Set(commands)];
    if (unique.length > 0) out.push(`GRANT ${unique.join(', ')} ON ${t} TO ${role}`);
  }
  out.push(...COMMANDS.map((c) => `DROP POLICY IF EXISTS "${table.sqlName}_${c}" ON ${t}`));
  out.push(...policies.map((p) => policySql(table.sqlName, p)));
  return out;
}

/** The statements of the RLS migration, in order. */
export function rlsStatements(model: AppModel): string[] {
  return [
    ...rolesPrelude(),
    ...helperStatements(model),
    ...tablePolicies(model).flatMap(tableStatements),
    'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO authenticated, service_role',
  ];
}
