/**
 * @module compiler/model/ir
 * AppModel: the intermediate representation every emitter reads. Pure, JSON-serialisable data
 * (no functions); defaults and derived facts (firewall predicates, role expansion, naming) are
 * applied exactly once, in `model/`.
 */
import type { GenerateId } from '../../dsl/providers.js';
import type { AccessModel, ActionModel, GuardsModel, MaskModel, ViewModel } from './ir-pipeline.js';
import type { CloudflareModel } from './cloudflare.js';
import type { FieldKind } from '../../runtime/core/resource.js';

export type * from './ir-pipeline.js';

export type EmailTransport = 'cloudflare' | 'aws-ses' | 'outbox';
export type RuntimeKind = 'node' | 'bun' | 'cloudflare';
export type DatabaseKind = 'better-sqlite3' | 'libsql' | 'cloudflare-d1' | 'neon' | 'supabase';
export type Dialect = 'sqlite' | 'postgresql';
export type DatabaseName = 'auth' | 'features';

export interface AppModel {
  name: string;
  runtime: { kind: RuntimeKind; port: number };
  database: DatabaseModel;
  auth: AuthModel;
  /** Feature resources, sorted by name. */
  features: FeatureModel[];
  /** Non-secret env defaults (`vars`), sorted by key. */
  vars: Record<string, string>;
  trustedOrigins: string[];
  build: { outputDir: string; packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun'; dependencies: Record<string, string> };
  migrations: { renames: { tables: Record<string, string>; columns: Record<string, string> } };
  /** Project-relative POSIX path of the config file (for banners). */
  configFile: string;
  /** Response headers set on every response (`security`), lower-case names, sorted; empty when `security: false`. */
  securityHeaders: Record<string, string>;
  /** Weak ETag + 304 on GET responses (`etag.enabled`, default on). */
  etag: boolean;
  /** Standalone actions of tableless actions files, sorted by name. */
  actions: ActionModel[];
  /** Some action is unsafe: the app gets the audit database (AUDIT_DATABASE_URL). */
  auditLog: boolean;
  /** `openapi.generate` / `openapi.publish` (served to anyone, else to signed-in callers) and `schemaRegistry.generate`. */
  documents: { openapi: false | 'public' | 'signed-in'; schemaRegistry: boolean };
  /**
   * The bearer-token fast path (`auth.jwt`, defaults applied): always on with Better Auth here;
   * with external auth only when `auth.jwt` is set (it needs a secret this app holds).
   */
  jwt: {
    secretEnv: string;
    expiresIn: number;
    issuer?: string;
    audience?: string;
    revocation?: 'kv' | 'memory' | 'redis';
  } | null;
  /** Node/Bun storage provider (`defineStorage("memory" | "redis" | "kv")`: Better Auth's secondary storage and the token denylist); Redis's URL comes from REDIS_URL, defaulting to `url`. */
  storage: { kind: 'memory' } | { kind: 'redis'; url: string } | null;
  /** `defineFileStorage` (files.ts at /storage/v1): an R2 binding on Workers, a local folder (FILES_DIR) on Node and Bun. */
  files: FilesModel | null;
  /** `realtime` on the database provider: /broadcast/v1, tickets signed with `secretEnv` (realtime-routes.ts). */
  realtime: { secretEnv: string; wsTicket?: WsTicketModel } | null;
  /** Outbound webhooks (webhooks.ts): endpoints management at /webhooks/v1, deliveries from the job table. */
  webhooks: WebhooksModel | null;
  /**
   * How Better Auth's emails (magic links, one-time codes) leave the app: Cloudflare's send_email
   * binding (Workers default), SES signed with SigV4 (`email.provider: "aws-ses"`), or files in a
   * local outbox (Node/Bun default). `from`/`fromName` default EMAIL_FROM/EMAIL_FROM_NAME. Null with external auth.
   */
  email: { transport: EmailTransport; from?: string; fromName?: string } | null;
  /** `auth.loginUrl` / `auth.profileUrl` (seed 004): browser redirect targets (runtime/redirects.ts). */
  redirects: { loginUrl?: string; profileUrl?: string };
  /** `.encrypted()` columns exist: the `org_data_keys` table (features database) and ENCRYPTION_KEK. */
  encryption: { table: TableModel } | null;
  /** Feature routes exist: `idempotency_keys`, the stored responses of `Idempotency-Key` requests (features database). */
  idempotency: { table: TableModel } | null;
  /** PostgreSQL with Better Auth: `user_sessions`, the active organization/team the RLS helpers read (seed 001). */
  rlsSupport: { table: TableModel } | null;
  /** runtime cloudflare only: what wrangler.toml says (bindings, placement, observability, routes). */
  cloudflare?: CloudflareModel;
}

export interface DatabaseModel {
  kind: DatabaseKind;
  dialect: Dialect;
  generateId: GenerateId;
  namingConvention: 'camelCase' | 'snake_case';
  usePlurals: boolean;
  /** true: auth tables in their own database file; false: one database holds everything (always on PostgreSQL). */
  splitDatabases: boolean;
  /**
   * neon only. `transport` is what `connectionMode` resolves to (`auto`: HTTP on Workers, WebSocket
   * on Node and Bun). Over WebSocket a local URL on Node/Bun uses node-postgres; over HTTP every
   * URL goes to Neon's SQL-over-HTTP endpoint (or NEON_HTTP_ENDPOINT).
   */
  neon?: { connectionMode: 'http' | 'websocket' | 'auto'; pooled: boolean; transport: 'http' | 'websocket' };
}

export interface AuthModel {
  /**
   * `better-auth`: Better Auth runs in this app on its own tables. `external`: another Worker,
   * bound as a service, owns users and sessions (no auth tables, no Better Auth here).
   * `supabase-auth`: Supabase Auth owns users and sessions; its access tokens are verified here.
   */
  provider: 'better-auth' | 'external' | 'supabase-auth';
  /** `external` only: the service binding and where that Worker serves Better Auth. */
  external?: { binding: string; service: string; basePath: string; proxy: boolean };
  emailAndPassword: {
    enabled: boolean;
    requireEmailVerification?: boolean;
    minPasswordLength?: number;
    maxPasswordLength?: number;
    autoSignIn?: boolean;
  };
  /** Seconds. */
  session?: { expiresIn?: number; updateAge?: number };
  rateLimit?: {
    enabled?: boolean;
    window?: number;
    max?: number;
    customRules?: Record<string, { window: number; max: number }>;
  };
  socialProviders: { id: 'google' | 'github' | 'discord'; clientIdEnv: string; clientSecretEnv: string }[];
  debugLogs: boolean;
  /** Better Auth plugins to enable, in a fixed order. */
  plugins: AuthPlugin[];
  /** Options of the object form (`plugins: { apiKey: { rateLimit: {...} } }`), passed to the plugin as JSON. */
  pluginOptions: Partial<Record<AuthPlugin, Record<string, unknown>>>;
  organizations: boolean;
  /** Lowest to highest. */
  roleHierarchy: string[];
  trustedOrigins: string[];
  /** Better Auth's tables (with its plugins), named per the database naming options. */
  tables: TableModel[];
}

/** `teams` is the organization plugin's team support (`organization({ teams: { enabled: true } })`). */
export type AuthPlugin =
  | 'organization'
  | 'teams'
  | 'apiKey'
  | 'admin'
  | 'anonymous'
  | 'upgradeAnonymous'
  | 'twoFactor'
  | 'deviceAuthorization'
  | 'magicLink'
  | 'emailOtp'
  | 'passkey'
  | 'jwt'
  | 'oauthProvider'
  | 'bearer'
  | 'openAPI';

export interface TableModel {
  /** Logical name: the feature name, or Better Auth's model name (`user`, `member`, ...). */
  name: string;
  /** TypeScript identifier of the exported Drizzle table. */
  exportName: string;
  sqlName: string;
  database: DatabaseName;
  /** Declared order; audit columns last. */
  columns: ColumnModel[];
  /** Sorted by name. */
  indexes: IndexModel[];
}

/** How the column is stored (Drizzle sqlite-core builder + mode). */
export type ColumnStorage = 'text' | 'integer' | 'real' | 'boolean' | 'json' | 'timestamp_ms';

export type ColumnDefault =
  | { kind: 'value'; value: string | number | boolean | null }
  | { kind: 'json'; value: unknown }
  /** SQL default of "now": ISO text for `text` storage, epoch ms for `timestamp_ms`. */
  | { kind: 'now' }
  /** SQL default of today's date as `YYYY-MM-DD` text. */
  | { kind: 'today' };

export interface ColumnModel {
  /** Property name in TypeScript and in API bodies. */
  key: string;
  sqlName: string;
  storage: ColumnStorage;
  enumValues?: string[];
  primaryKey?: boolean;
  autoIncrement?: boolean;
  notNull: boolean;
  unique: boolean;
  default?: ColumnDefault;
  /** Better Auth style JS-side defaults: `new Date()` on insert / on update. */
  defaultFn?: 'now-date';
  onUpdateFn?: 'now-date';
  references?: {
    table: string;
    column: string;
    onDelete?: 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action';
  };
}

export interface IndexModel {
  /** At most 63 characters (PostgreSQL's limit): longer names end in a hash (model/indexes.ts). */
  name: string;
  /** Column keys. */
  columns: string[];
  unique: boolean;
  /** Column keys stored descending (`created_at DESC` of the list order; NULLS FIRST on PostgreSQL, as ORDER BY … DESC sorts). */
  descending?: string[];
  /** Partial index over the rows where these columns are NULL (the firewall's `deleted_at IS NULL`). */
  whereNull?: string[];
}

/** The runtime's field kinds (core/resource.ts): the IR and the generated app share one list. */
export type { FieldKind };

/** API-facing facts about one column of a feature. */
export interface FieldModel {
  key: string;
  kind: FieldKind;
  enumValues?: string[];
  /** Must be present on create (required and no default). */
  requiredOnCreate: boolean;
  /** May be null in bodies and responses. */
  nullable: boolean;
  /** Server-set: never accepted from a body (id unless client ids, scope and audit columns). */
  system: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  filterable: string[] | true | false;
  searchable: boolean;
  encrypted: boolean;
}

export type ContextSource = 'ctx.activeOrgId' | 'ctx.userId' | 'ctx.activeTeamId';
export type FirewallPredicate = { column: string; equals: ContextSource } | { column: string; isNull: true };

export interface FeatureModel {
  name: string;
  /** URL segment and file-name base: `jobPostings` → `job-postings`. */
  slug: string;
  routePath: string;
  /** Project-relative POSIX path of the definition file. */
  source: string;
  table: TableModel;
  fields: FieldModel[];
  id: { key: string; strategy: GenerateId; type: 'text' | 'integer'; prefix?: string };
  /** Columns stamped from the request context on create. */
  scope: { organization?: string; owner?: string; team?: string };
  firewall: { predicates: FirewallPredicate[]; errorMode: 'reveal' | 'hide'; exception: boolean };
  access: { read: AccessModel; create: AccessModel; update: AccessModel; delete: AccessModel };
  deleteMode: 'soft' | 'hard';
  /** Audit column keys (always present on feature tables). */
  audit: {
    createdAt: string;
    modifiedAt: string;
    deletedAt: string;
    createdBy: string;
    modifiedBy: string;
    deletedBy: string;
  };
  /** Internal tables are migrated but get no routes. */
  internal: boolean;
  guards: GuardsModel;
  /** Masked columns, sorted by key. */
  masking: Record<string, MaskModel>;
  /** Named views (sorted by name) and the view a bare list uses. */
  views: ViewModel[];
  defaultView?: string;
  /** Batch routes on `/batch` (POST create, PATCH update, DELETE delete, PUT upsert). */
  batch: { create: boolean; update: boolean; delete: boolean; upsert: boolean };
  /** PUT /:id upsert (client ids and `guards: false` or no guards). */
  put: boolean;
  /** Features whose rows reference this one (soft delete cascades to them), sorted. */
  children: { feature: string; column: string }[];
  /** Record and standalone actions bound to this feature, sorted by name. */
  actions: ActionModel[];
  /** Per-table realtime (null: its writes are not pushed). */
  realtime: RealtimeSpecModel | null;
  /** Per-table webhook events `<name>.created|updated|deleted` (null: none). */
  webhooks: { onInsert: boolean; onUpdate: boolean; onDelete: boolean } | null;
}

export interface WebhooksModel {
  /** Organization roles that manage the organization's endpoints (expanded). */
  adminRoles: string[];
  allowInsecure: boolean;
  tables: { endpoints: TableModel; deliveries: TableModel; events: TableModel };
}

/** Relationship-scoped websocket tickets (realtime.wsTicket + authz.roles). */
export interface WsTicketModel {
  role: string;
  requestField: string;
  /** The scope table's feature name: channels are `scope:<scope>:<id>`. */
  scope: string;
  /** The relationship table: its column to the scope row and its user column. */
  via: { feature: string; scopeColumn: string; userColumn: string };
  /** Tables whose rows belong to a scope row, and the column holding its id. */
  links: { feature: string; column: string }[];
}

export interface RealtimeSpecModel {
  onInsert: boolean;
  onUpdate: boolean;
  onDelete: boolean;
  requiredRoles: string[] | null;
  fields: string[] | null;
}

export interface FilesModel {
  /** Bytes. */
  maxFileSize: number;
  allowedTypes: string[] | null;
  publicDomain: string | null;
  /** Objects under the active organization, or (`userScopedBuckets`, or no organizations) under the caller. */
  scope: 'organization' | 'user';
  /** Workers: the R2 bucket binding; Node and Bun: the folder, overridable with FILES_DIR. */
  store: { kind: 'r2'; binding: string } | { kind: 'fs'; dir: string };
}
