/**
 * @module compiler/model/cloudflare
 * What `wrangler.toml` says, with the config's defaults applied (seed 000): the runtime options
 * exactly as given (unset ones stay unset), and the D1, KV and R2 bindings. D1 bindings are
 * listed per logical database; `experimentalRemote` is keyed by that logical name, never by the
 * binding string, and only `true` sets the flag. The audit database exists only when some action
 * is unsafe.
 */
import type { QuickbackConfigInput } from '../../dsl/config.js';
import type { RuntimeOptions } from '../../dsl/providers.js';

export type LogicalDatabase = 'auth' | 'features' | 'audit';

export interface D1Binding {
  logical: LogicalDatabase;
  binding: string;
  databaseName: string;
  /** The configured D1 id, or null: wrangler.toml then holds a local-dev placeholder. */
  databaseId: string | null;
  /** `experimental_remote = true` (wrangler dev talks to the deployed database). */
  remote: boolean;
  /** Project-relative folder of the journaled migrations, or null (no tables: the audit database, or no features yet). */
  migrationsDir: string | null;
}

export interface CloudflareModel {
  /** The runtime options as given (seed 000), for the [placement], [observability] and routes blocks; compatibilityDate defaulted. */
  runtime: RuntimeOptions;
  d1: D1Binding[];
  kv: { binding: string; namespaceId: string | null } | null;
  r2: { binding: string; bucketName: string } | null;
  /** Service bindings ([[services]]): the auth Worker of `defineAuth("external")`. */
  services: { binding: string; service: string }[];
}

/**
 * wrangler.toml's `compatibility_date` when the config sets none: the newest date the pinned
 * workerd supports (wrangler 4.86.0, the last on Node 20). A fixed date, so the output stays the
 * same from day to day; it moves only with the pinned wrangler. The scaffolder writes it too.
 */
export const DEFAULT_COMPATIBILITY_DATE = '2026-04-26';

export const DEFAULT_BINDINGS = {
  auth: 'AUTH_DB',
  features: 'DB',
  audit: 'AUDIT_DB',
  kv: 'KV',
  r2: 'FILES',
  authService: 'AUTH_SERVICE',
} as const;

/** The placeholder written for a D1 id the config does not give (`wrangler deploy` needs the real one). */
export const placeholderId = (logical: LogicalDatabase) =>
  `00000000-0000-4000-8000-00000000000${['auth', 'features', 'audit'].indexOf(logical) + 1}`;

/**
 * `featureTables`: the project declares at least one table. A database without tables gets no
 * migrations_dir (wrangler refuses to apply an empty one), e.g. a pure auth Worker's features database.
 */
export function cloudflareModel(
  config: QuickbackConfigInput,
  auditLog: boolean,
  featureTables: boolean,
): CloudflareModel | undefined {
  if (config.providers.runtime.kind !== 'cloudflare') return undefined;
  const db = config.providers.database.kind === 'cloudflare-d1' ? config.providers.database.options : undefined;
  const d1: D1Binding[] = [];
  const auth = config.providers.auth;
  const external = auth?.kind === 'external';
  if (db) {
    const remote = (key: LogicalDatabase) => db.experimentalRemote?.[key] === true;
    const split = db.splitDatabases ?? true;
    // External auth: the auth Worker owns users and sessions, so there is no auth database here.
    if (split && !external) {
      d1.push({
        logical: 'auth',
        binding: db.authBinding ?? DEFAULT_BINDINGS.auth,
        databaseName: `${config.name}-auth`,
        databaseId: db.authDatabaseId ?? null,
        remote: remote('auth'),
        migrationsDir: 'quickback/drizzle/auth',
      });
    }
    d1.push({
      logical: 'features',
      binding: db.featuresBinding ?? DEFAULT_BINDINGS.features,
      databaseName: split ? `${config.name}-features` : config.name,
      databaseId: db.featuresDatabaseId ?? db.databaseId ?? null,
      remote: remote('features'),
      // Unsplit with Better Auth here, the features database also holds the auth tables.
      migrationsDir: featureTables || (!split && !external) ? 'quickback/drizzle/features' : null,
    });
    if (auditLog) {
      d1.push({
        logical: 'audit',
        binding: db.auditBinding ?? DEFAULT_BINDINGS.audit,
        databaseName: db.auditDatabaseName ?? `${config.name}-audit`,
        databaseId: db.auditDatabaseId ?? null,
        remote: remote('audit'),
        migrationsDir: null,
      });
    }
  }
  const storage = config.providers.storage;
  const kvId = storage?.kind === 'kv' ? storage.options.namespaceId : undefined;
  const authKvId = external ? undefined : auth?.options?.kvId;
  const kv = storage?.kind === 'kv' || authKvId !== undefined
    ? {
      binding: (storage?.kind === 'kv' ? storage.options.binding : undefined) ?? DEFAULT_BINDINGS.kv,
      namespaceId: kvId ?? authKvId ?? db?.kvNamespaceId ?? null,
    }
    : null;
  const files = config.providers.fileStorage;
  const r2 = files
    ? {
      binding: files.options.binding ?? DEFAULT_BINDINGS.r2,
      bucketName: files.options.bucketName ?? `${config.name}-files`,
    }
    : null;
  const services = external && auth.options?.service
    ? [{ binding: auth.options.binding ?? DEFAULT_BINDINGS.authService, service: auth.options.service }]
    : [];
  const runtime = config.providers.runtime.options ?? {};
  return {
    runtime: { ...runtime, compatibilityDate: runtime.compatibilityDate ?? DEFAULT_COMPATIBILITY_DATE },
    d1,
    kv,
    r2,
    services,
  };
}
