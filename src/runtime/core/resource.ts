/**
 * @module quickback/resource
 * ResourceDefinition: the data a generated `<feature>.resource.ts` hands to the CRUD routes.
 * Policy lives here as data; the routes that enforce it are written once (crud.ts). The policy
 * types (access rules, guards, masks, realtime specs) are declared here, below every engine.
 */
import type { Table } from 'drizzle-orm';
import type { ZodType } from 'zod';

export type Condition =
  | { op: 'equals' | 'notEquals'; value: unknown }
  | { op: 'in' | 'notIn'; value: unknown[] }
  | { op: 'lessThan' | 'greaterThan' | 'lessThanOrEqual' | 'greaterThanOrEqual'; value: unknown };

export interface AccessRule {
  roles?: string[];
  userRole?: string[];
  record?: Record<string, Condition>;
  or?: AccessRule[];
  and?: AccessRule[];
}

export interface GuardsDefinition {
  /** false: every non-system field is createable and updatable. */
  lists: boolean;
  createable: readonly string[];
  updatable: readonly string[];
  immutable: readonly string[];
  /** Field → the actions that may change it. */
  protected: Readonly<Record<string, readonly string[]>>;
}

export type MaskType = 'email' | 'phone' | 'ssn' | 'creditCard' | 'name' | 'redact' | 'custom';

export interface MaskRule {
  type: MaskType;
  custom?: { keepFirst: number; keepLast: number };
  show: { roles: readonly string[]; userRole: readonly string[]; owner?: string };
  query: { roles: readonly string[] };
}

/** Per table: which writes are pushed, to whom, with which fields (resource `realtime`). */
export interface RealtimeSpec {
  onInsert: boolean;
  onUpdate: boolean;
  onDelete: boolean;
  requiredRoles: readonly string[] | null;
  fields: readonly string[] | null;
}
export type EventType = 'INSERT' | 'UPDATE' | 'DELETE';

export type ContextSource = 'ctx.activeOrgId' | 'ctx.userId' | 'ctx.activeTeamId';
export type FirewallPredicate = { column: string; equals: ContextSource } | { column: string; isNull: true };
export type FieldKind =
  | 'id'
  | 'text'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'enum'
  | 'json'
  | 'url'
  | 'email'
  | 'scope'
  | 'audit-time'
  | 'audit-user';

export interface FieldDefinition {
  key: string;
  kind: FieldKind;
  /** Set by the server; a body naming it is refused (GUARD_SYSTEM_MANAGED). */
  system: boolean;
  /** `true`: every operator; a list: only those; `false`: not filterable. */
  filterable: boolean | readonly string[];
  searchable: boolean;
}

export interface ResourceDefinition {
  name: string;
  /** Drizzle table (any dialect). */
  table: Table;
  id: {
    key: string;
    type: 'text' | 'integer';
    /** Server-side id generator; absent for database ids (serial) and client ids. */
    generate?: () => string;
    /** `generateId: false`: the client sends the id (enables PUT upsert). */
    clientIds: boolean;
  };
  fields: readonly FieldDefinition[];
  firewall: { predicates: readonly FirewallPredicate[]; errorMode: 'reveal' | 'hide' };
  /** Columns stamped from the request context on create. */
  scope: { organization?: string; owner?: string; team?: string };
  access: { read: AccessRule; create: AccessRule; update: AccessRule; delete: AccessRule };
  deleteMode: 'soft' | 'hard';
  audit: {
    createdAt: string;
    modifiedAt: string;
    deletedAt: string;
    createdBy: string;
    modifiedBy: string;
    deletedBy: string;
  };
  /** Value schemas of the writable fields: create (required fields required) and update (all optional). */
  createBody: ZodType<Record<string, unknown>>;
  updateBody: ZodType<Record<string, unknown>>;
  guards: GuardsDefinition;
  masking: Readonly<Record<string, MaskRule>>;
  views: Readonly<Record<string, ViewDefinition>>;
  /** The view a bare list uses; with views and no default, a bare list is VIEW_REQUIRED. */
  defaultView?: string;
  batch: { create: boolean; update: boolean; delete: boolean; upsert: boolean };
  /** PUT /:id upsert. */
  put: boolean;
  /** `.encrypted()` columns (seed 003) and the organization column whose key encrypts them. */
  encrypted?: { columns: readonly string[]; orgKey: string };
  /** Realtime (reference §7.1): which writes are pushed over /broadcast/v1 and how (realtime.ts); absent: none. */
  realtime?: RealtimeSpec;
  /** Webhook events of this table's writes (`<name>.created|updated|deleted`); absent: none. */
  webhooks?: { onInsert: boolean; onUpdate: boolean; onDelete: boolean };
  /** Resources whose rows reference this one (soft delete cascades); a thunk, so modules may import each other. */
  children?: () => readonly { resource: ResourceDefinition; column: string }[];
  /** Columns whose values must name a row the caller sees through `resource`'s firewall (references.ts); a thunk like `children`. */
  references?: () => readonly ReferenceDefinition[];
}

/** `column` of this resource holds `key` of a row of `resource`. */
export interface ReferenceDefinition {
  column: string;
  resource: ResourceDefinition;
  key: string;
}

export interface ViewDefinition {
  fields: readonly string[];
  access: AccessRule;
  query: {
    filterable?: readonly string[];
    searchable?: readonly string[];
    sortable?: readonly string[];
    defaultSort?: string;
  };
}
