/**
 * @module compiler/validate/schema/resource
 * The zod schema of a resource's config (everything of `feature()` / `defineTable()` except
 * `columns`), mirroring ResourceSpec in src/dsl/feature.ts. Options that are not built yet are
 * accepted here and reported by the capability rule.
 */
import * as z from 'zod';
import { accessSchema, deleteOperationSchema, operationSchema, type IssueParams } from './access.js';

const errorMode = z.enum(['reveal', 'hide']);
const names = z.array(z.string());
const scopeSource = { column: z.string().optional(), source: z.string().optional() };

export const namedFirewallSchema = z.strictObject({
  owner: z.strictObject({ ...scopeSource, mode: z.enum(['required', 'optional']).optional() }).optional(),
  organization: z.strictObject(scopeSource).optional(),
  team: z.strictObject(scopeSource).optional(),
  softDelete: z.union([z.boolean(), z.strictObject({ column: z.string().optional() })]).optional(),
  errorMode: errorMode.optional(),
  exception: z.boolean().optional(),
});

export const firewallPredicateSchema = z.strictObject({
  field: z.string(),
  equals: z.string().optional(),
  isNull: z.literal(true).optional(),
}).superRefine((predicate, ctx) => {
  if ((predicate.equals === undefined) !== (predicate.isNull === undefined)) return;
  const params: IssueParams = {
    qbCode: 'QB_VALIDATE_INVALID_FIREWALL',
    hint: 'Example: { field: "organizationId", equals: "ctx.activeOrgId" } or { field: "deletedAt", isNull: true }',
  };
  ctx.addIssue({ code: 'custom', message: 'A firewall predicate takes exactly one of `equals` or `isNull`', params });
});

export const firewallSchema = z.union([namedFirewallSchema, z.array(firewallPredicateSchema)]);

const viewSchema = z.strictObject({
  fields: names.min(1),
  access: accessSchema.optional(),
  query: z.strictObject({
    filterable: names.optional(),
    searchable: names.optional(),
    sortable: names.optional(),
    defaultSort: z.string().optional(),
  }).optional(),
});

const toggle = z.boolean().optional();
export const crudSchema = z.object({
  create: operationSchema.optional(),
  update: operationSchema.optional(),
  delete: deleteOperationSchema.optional(),
  put: toggle,
  batchCreate: toggle,
  batchUpdate: toggle,
  batchDelete: toggle,
  batchUpsert: toggle,
}).catchall(z.unknown());

export const resourceSchema = z.strictObject({
  unique: z.array(z.strictObject({ columns: names.min(1) })).optional(),
  firewall: firewallSchema.optional(),
  firewallErrorMode: errorMode.optional(),
  guards: z.union([
    z.literal(false),
    z.strictObject({
      createable: names.optional(),
      updatable: names.optional(),
      immutable: names.optional(),
      protected: z.record(z.string(), names).optional(),
    }),
  ]).optional(),
  masking: z.record(
    z.string(),
    z.strictObject({
      type: z.enum(['email', 'phone', 'ssn', 'creditCard', 'name', 'redact', 'custom']),
      show: z.strictObject({ roles: names.optional(), or: z.literal('owner').optional() }).optional(),
      query: z.strictObject({ roles: names.optional() }).optional(),
      keepFirst: z.number().int().min(0).max(64).optional(),
      keepLast: z.number().int().min(0).max(64).optional(),
    }),
  ).optional(),
  read: z.strictObject({
    access: accessSchema.optional(),
    views: z.record(z.string(), viewSchema).optional(),
    defaultView: z.string().optional(),
  }).optional(),
  crud: crudSchema.optional(),
  create: operationSchema.optional(),
  update: operationSchema.optional(),
  delete: deleteOperationSchema.optional(),
  references: z.record(z.string(), z.string()).optional(),
  realtime: z.union([
    z.boolean(),
    z.strictObject({
      enabled: z.boolean().optional(),
      onInsert: z.boolean().optional(),
      onUpdate: z.boolean().optional(),
      onDelete: z.boolean().optional(),
      requiredRoles: z.array(z.string()).optional(),
      fields: z.array(z.string()).optional(),
    }),
  ]).optional(),
  webhooks: z.union([
    z.boolean(),
    z.strictObject({
      onInsert: z.boolean().optional(),
      onUpdate: z.boolean().optional(),
      onDelete: z.boolean().optional(),
    }),
  ]).optional(),
  embeddings: z.unknown().optional(),
  displayColumn: z.string().optional(),
  defaultSort: z.strictObject({ field: z.string(), order: z.enum(['asc', 'desc']).optional() }).optional(),
  inputHints: z.record(z.string(), z.string()).optional(),
  layouts: z.unknown().optional(),
  validation: z.unknown().optional(),
  internal: z.boolean().optional(),
});
