/**
 * @module dsl/feature
 * `feature()` and `defineTable()`: the two authoring forms of a resource.
 * @example
 * export default feature("tickets", {
 *   columns: { id: q.id(), title: q.text().required(), organizationId: q.scope("organization") },
 *   read: { access: { roles: ["member+"] } },
 *   crud: { create: { access: { roles: ["member+"] } }, delete: { access: { roles: ["owner"] }, mode: "soft" } },
 * });
 */
import { brand, DslError, type Branded } from './kind.js';
import type { ColumnBuilder } from './columns/builder.js';

export type Condition =
  | { equals: unknown }
  | { notEquals: unknown }
  | { in: unknown[] }
  | { notIn: unknown[] }
  | { lessThan: number }
  | { greaterThan: number }
  | { lessThanOrEqual: number }
  | { greaterThanOrEqual: number };

export interface AccessRule {
  /** Organization roles (any of); `"admin+"` means admin and every role above it; `"PUBLIC"` needs no sign-in. */
  roles?: string[];
  /** Platform (user-level) roles, e.g. `["admin"]`. */
  userRole?: string[];
  /** Conditions on the row; values may be `"$ctx.userId"` and other `$ctx.*` paths. */
  record?: Record<string, Condition>;
  or?: AccessRule[];
  and?: AccessRule[];
}
export type Access = AccessRule | ((ctx: unknown, record?: unknown) => boolean | Promise<boolean>);

export type FirewallPredicate = { field: string; equals: string } | { field: string; isNull: true };
export interface NamedFirewall {
  owner?: { column?: string; source?: string; mode?: 'required' | 'optional' };
  organization?: { column?: string; source?: string };
  team?: { column?: string; source?: string };
  softDelete?: { column?: string } | boolean;
  errorMode?: 'reveal' | 'hide';
  exception?: boolean;
}
export type Firewall = NamedFirewall | FirewallPredicate[];

export type MaskTypeName = 'email' | 'phone' | 'ssn' | 'creditCard' | 'name' | 'redact' | 'custom';
export interface MaskSpec {
  type: MaskTypeName;
  /** Who sees the real value: any of these roles (`"admin+"` allowed), or the row's owner. */
  show?: { roles?: string[]; or?: 'owner' };
  /** Who may filter, sort and search on the column (default: the `show` roles). */
  query?: { roles?: string[] };
  /** `custom` only: characters kept at the start and end; the rest becomes `*`. */
  keepFirst?: number;
  keepLast?: number;
}

/** A named projection of the list with its own access and query allowlists. */
export interface ViewSpec {
  fields: string[];
  /** Replaces `read.access` for requests that use this view. */
  access?: Access;
  query?: { filterable?: string[]; searchable?: string[]; sortable?: string[]; defaultSort?: string };
}

export interface OperationSpec {
  access?: Access;
}
export interface DeleteSpec extends OperationSpec {
  mode?: 'soft' | 'hard';
}

export interface ResourceSpec {
  unique?: { columns: string[] }[];
  firewall?: Firewall;
  firewallErrorMode?: 'reveal' | 'hide';
  guards?: false | {
    createable?: string[];
    updatable?: string[];
    immutable?: string[];
    protected?: Record<string, string[]>;
  };
  masking?: Record<string, MaskSpec>;
  read?: { access?: Access; views?: Record<string, ViewSpec>; defaultView?: string };
  crud?: { create?: OperationSpec; update?: OperationSpec; delete?: DeleteSpec; [toggle: string]: unknown };
  create?: OperationSpec;
  update?: OperationSpec;
  delete?: DeleteSpec;
  references?: Record<string, string>;
  /** Push this table's writes to /broadcast/v1 sockets (needs `realtime` on the database provider). */
  realtime?: boolean | {
    enabled?: boolean;
    onInsert?: boolean;
    onUpdate?: boolean;
    onDelete?: boolean;
    requiredRoles?: string[];
    fields?: string[];
  };
  /** Beyond the public product: emit `<table>.created|updated|deleted` webhook events from CRUD (needs webhooks on). */
  webhooks?: boolean | { onInsert?: boolean; onUpdate?: boolean; onDelete?: boolean };
  embeddings?: unknown;
  displayColumn?: string;
  defaultSort?: { field: string; order?: 'asc' | 'desc' };
  inputHints?: Record<string, string>;
  layouts?: unknown;
  validation?: unknown;
  internal?: boolean;
}

export interface FeatureSpec<C extends Record<string, ColumnBuilder> = Record<string, ColumnBuilder>>
  extends ResourceSpec
{
  columns: C;
}

export type Feature<C extends Record<string, ColumnBuilder> = Record<string, ColumnBuilder>> = Branded<'feature', {
  name: string;
  spec: FeatureSpec<C>;
  /** Row type, for `typeof import("./x").default.$infer`. */
  readonly $infer: { [K in keyof C]: C[K]['$type'] };
}>;

/** Declares a feature (one table plus its API and security rules) in a single export. */
export function feature<C extends Record<string, ColumnBuilder>>(name: string, spec: FeatureSpec<C>): Feature<C> {
  if (typeof name !== 'string')
    throw new DslError(
      'QB_DSL_INVALID_ARGUMENT',
      'feature() takes a name string first',
      'Example: feature("tickets", { columns: { ... } })',
    );
  if (typeof spec !== 'object' || spec === null)
    throw new DslError(
      'QB_DSL_INVALID_ARGUMENT',
      `feature("${name}") needs a spec object`,
      'Example: feature("tickets", { columns: { ... } })',
    );
  return brand('feature', { name, spec, $infer: undefined as never });
}

export type TableDefinition = Branded<'table-definition', { table: unknown; config: ResourceSpec }>;

/** Attaches security rules to a table made with `q.table()` or Drizzle's `sqliteTable()`. */
export function defineTable(table: unknown, config: ResourceSpec = {}): TableDefinition {
  if (typeof table !== 'object' || table === null)
    throw new DslError(
      'QB_DSL_INVALID_ARGUMENT',
      'defineTable() takes a table first',
      'Pass q.table(...) or a Drizzle sqliteTable(...)',
    );
  return brand('table-definition', { table, config });
}
