/**
 * @module quickback/crud
 * The CRUD routes of a resource, written once: list, get, create, PATCH update, delete (and PUT
 * upsert with client ids). Order per route (reference §6): auth gate → tenant scope → role check
 * (before any read, so foreign and missing ids look the same) → firewall-scoped read → record
 * conditions → body → one firewall-scoped statement.
 */
import { and, eq, type SQL } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { accessWhere, allowsAnonymous, evaluateAccess, type AccessRule } from './access.js';
import { checkKeys, parseWith, readJsonObject } from './body.js';
import type { AppContext } from './context.js';
import { apiError } from './errors.js';
import { columnOf, firewallWhere, notFound, requireScope, scopeValues } from './firewall.js';
import { listRows } from './list-route.js';
import type { ResourceDefinition } from './resource.js';
import type { QuickbackEnv } from './types.js';

type C = Context<QuickbackEnv>;

/** Auth gate, tenant scope and the role phase of access: nothing has been read yet. */
export function authorize(c: C, resource: ResourceDefinition, rule: AccessRule): AppContext {
  const ctx = c.get('ctx');
  if (!ctx.authenticated && !allowsAnonymous(rule)) throw apiError('AUTH_MISSING', { hint: 'Sign in first: POST /auth/v1/sign-in/email' });
  requireScope(resource, ctx);
  if (!evaluateAccess(rule, ctx)) throw apiError('ACCESS_ROLE_REQUIRED', { details: { required: rule.roles ?? [] } });
  return ctx;
}

export function parseId(resource: ResourceDefinition, raw: string): string | number | undefined {
  if (resource.id.type === 'text') return raw.length > 0 && raw.length <= 255 ? raw : undefined;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

function byId(resource: ResourceDefinition, ctx: AppContext, id: string | number): SQL {
  return and(firewallWhere(resource, ctx), eq(columnOf(resource, resource.id.key)!, id))!;
}

async function fetchScoped(c: C, resource: ResourceDefinition, ctx: AppContext): Promise<{ id: string | number; row: Record<string, unknown> }> {
  const id = parseId(resource, c.req.param('id') ?? '');
  if (id === undefined) throw notFound(resource);
  const [row] = await c.get('db').select().from(resource.table).where(byId(resource, ctx, id)).limit(1);
  if (!row) throw notFound(resource);
  return { id, row };
}

function requireRecordAccess(rule: AccessRule, ctx: AppContext, row: Record<string, unknown>): void {
  if (!evaluateAccess(rule, ctx, row)) throw apiError('ACCESS_CONDITION_FAILED');
}

export function now(resource: ResourceDefinition, key: string): string | Date {
  return columnOf(resource, key)?.dataType === 'date' ? new Date() : new Date().toISOString();
}

async function insertRow(c: C, resource: ResourceDefinition, ctx: AppContext, data: Record<string, unknown>) {
  const { audit } = resource;
  const row: Record<string, unknown> = {
    ...data, ...scopeValues(resource, ctx),
    [audit.createdAt]: now(resource, audit.createdAt), [audit.modifiedAt]: now(resource, audit.modifiedAt),
    [audit.createdBy]: ctx.userId, [audit.modifiedBy]: ctx.userId,
  };
  if (resource.id.generate) row[resource.id.key] = resource.id.generate();
  requireRecordAccess(resource.access.create, ctx, row);
  const [inserted] = await c.get('db').insert(resource.table).values(row).returning();
  return inserted as Record<string, unknown>;
}

async function updateRow(c: C, resource: ResourceDefinition, ctx: AppContext, id: string | number, data: Record<string, unknown>) {
  const { audit } = resource;
  const set = { ...data, [audit.modifiedAt]: now(resource, audit.modifiedAt), [audit.modifiedBy]: ctx.userId };
  const [updated] = await c.get('db').update(resource.table).set(set).where(byId(resource, ctx, id)).returning();
  if (!updated) throw notFound(resource);
  return updated as Record<string, unknown>;
}

function methodNotAllowed(allowed: string[]) {
  return (c: C) => {
    c.header('Allow', allowed.join(', '));
    throw apiError('METHOD_NOT_ALLOWED', { details: { allowed } });
  };
}

export function crudRoutes(resource: ResourceDefinition): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  app.get('/', async (c) => c.json(await listRows(c, resource, authorizeList(c, resource))));
  app.post('/', async (c) => {
    const ctx = authorize(c, resource, resource.access.create);
    const body = await readJsonObject(c);
    checkKeys(resource, body, 'create');
    return c.json(await insertRow(c, resource, ctx, parseWith(resource.createBody, body)), 201);
  });
  app.get('/:id', async (c) => {
    const ctx = authorize(c, resource, resource.access.read);
    const { row } = await fetchScoped(c, resource, ctx);
    requireRecordAccess(resource.access.read, ctx, row);
    return c.json(row);
  });
  app.patch('/:id', async (c) => {
    const ctx = authorize(c, resource, resource.access.update);
    const { id, row } = await fetchScoped(c, resource, ctx);
    requireRecordAccess(resource.access.update, ctx, row);
    const body = await readJsonObject(c);
    checkKeys(resource, body, 'update');
    const data = parseWith(resource.updateBody, body);
    if (Object.keys(data).length === 0) throw apiError('VALIDATION_FAILED', { message: 'Nothing to update', hint: 'Send at least one field.' });
    return c.json(await updateRow(c, resource, ctx, id, data));
  });
  app.delete('/:id', async (c) => {
    const ctx = authorize(c, resource, resource.access.delete);
    const { id, row } = await fetchScoped(c, resource, ctx);
    requireRecordAccess(resource.access.delete, ctx, row);
    if (resource.deleteMode === 'hard') await c.get('db').delete(resource.table).where(byId(resource, ctx, id));
    else await updateRow(c, resource, ctx, id, { [resource.audit.deletedAt]: now(resource, resource.audit.deletedAt), [resource.audit.deletedBy]: ctx.userId });
    return c.json({ success: true });
  });
  if (resource.id.clientIds) app.put('/:id', (c) => upsert(c, resource));
  app.all('/', methodNotAllowed(['GET', 'POST']));
  app.all('/:id', methodNotAllowed(resource.id.clientIds ? ['GET', 'PATCH', 'PUT', 'DELETE'] : ['GET', 'PATCH', 'DELETE']));
  return app;
}

/** The list's access as a row filter (record conditions become SQL instead of a 403). */
function authorizeList(c: C, resource: ResourceDefinition): { ctx: AppContext; filter: SQL | undefined } {
  const ctx = c.get('ctx');
  const rule = resource.access.read;
  if (!ctx.authenticated && !allowsAnonymous(rule)) throw apiError('AUTH_MISSING', { hint: 'Sign in first: POST /auth/v1/sign-in/email' });
  requireScope(resource, ctx);
  const filter = accessWhere(rule, ctx, (key) => columnOf(resource, key));
  if (filter === false) throw apiError('ACCESS_ROLE_REQUIRED', { details: { required: rule.roles ?? [] } });
  return { ctx, filter: filter === true ? undefined : filter };
}

/** PUT /:id with client ids: update the row in scope, or create it with this id. */
async function upsert(c: C, resource: ResourceDefinition) {
  const id = parseId(resource, c.req.param('id') ?? '');
  const ctx = c.get('ctx');
  const anyAnonymous = allowsAnonymous(resource.access.create) || allowsAnonymous(resource.access.update);
  if (!ctx.authenticated && !anyAnonymous) throw apiError('AUTH_MISSING');
  requireScope(resource, ctx);
  if (id === undefined) throw apiError('VALIDATION_FAILED', { details: { fields: { id: 'Invalid id' } } });
  const [existing] = await c.get('db').select().from(resource.table).where(byId(resource, ctx, id)).limit(1);
  const rule = existing ? resource.access.update : resource.access.create;
  authorize(c, resource, rule);
  if (existing) requireRecordAccess(rule, ctx, existing);
  const body = await readJsonObject(c);
  if (resource.id.key in body && body[resource.id.key] !== id) throw apiError('VALIDATION_FAILED', { details: { fields: { [resource.id.key]: 'Must match the id in the path' } } });
  const { [resource.id.key]: _ignored, ...fields } = body;
  checkKeys(resource, existing ? fields : { ...fields, [resource.id.key]: id }, existing ? 'update' : 'create');
  const data = parseWith(resource.createBody, { ...fields, [resource.id.key]: id });
  if (existing) {
    delete data[resource.id.key];
    return c.json(await updateRow(c, resource, ctx, id, data));
  }
  return c.json(await insertRow(c, resource, ctx, data), 201);
}
