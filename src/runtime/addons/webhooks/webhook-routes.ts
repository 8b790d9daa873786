/**
 * @module quickback/webhook-routes
 * Outbound webhook management at /webhooks/v1 (reference §7.2), signed-in callers only:
 *   GET /events · GET|POST /endpoints · GET|PATCH|DELETE /endpoints/:id
 *   GET /endpoints/:id/deliveries · POST /endpoints/:id/test · POST /endpoints/:id/rotate-secret
 * With an active organization the endpoints are the organization's, and only its roles in
 * `webhookAdminRoles` may manage them (403 ACCESS_ROLE_REQUIRED); without one they are the
 * caller's own. Another scope's endpoint answers 404. URLs pass the target check (https, no
 * internal address) when saved and again at every delivery. The secret (`whsec_…`) is shown on
 * creation and rotation only. An organization's endpoint records the roles it reads as (its
 * creator's, or an explicit `role` at or below them; webhook-readers.ts); only a caller who reads
 * at least as much may change it or rotate its secret, so an admin cannot redirect an owner's.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, type Table } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import type { AppContext } from '../../core/context.js';
import { parseWith, readJsonObject } from '../../core/body.js';
import { apiError } from '../../core/errors.js';
import type { QuickbackEnv, QueryDatabase } from '../../core/types.js';
import { columnsOf, enqueueEvent, newId, type WebhookTables } from './webhook-queue.js';
import { chosenRoles, covers, endpointRoles, type RoleOptions } from './webhook-readers.js';
import { checkTarget, type TargetPolicy } from './webhook-targets.js';
import { inboundRoutes } from './webhook-inbound.js';

export const WEBHOOKS_BASE = '/webhooks/v1';

export interface WebhookOptions extends RoleOptions {
  db(c: Context): QueryDatabase;
  tables: WebhookTables;
  /** Event types this API emits (`<table>.created`, …, `webhook.test`), for the catalogue and validation. */
  events: readonly string[];
  policy(c: Context): TargetPolicy;
  /** After writing deliveries or receiving events: work now (Workers: waitUntil; Node: wake the loop). */
  kick(c: Context): void;
  /** Inbound events (webhook-inbound.ts). */
  inbound: { table: Table };
  /** Workers: table events queued after the response on a connection of their own (webhook-events.ts). */
  detached?(c: Context, work: (db: QueryDatabase) => Promise<unknown>): void;
}

const secret = () => `whsec_${randomBytes(24).toString('hex')}`;
const PUBLIC_FIELDS = [
  'id',
  'organizationId',
  'userId',
  'url',
  'events',
  'description',
  'active',
  'roles',
  'createdBy',
  'createdAt',
  'updatedAt',
];
const publicEndpoint = (row: Record<string, unknown>) => Object.fromEntries(PUBLIC_FIELDS.map((k) => [k, row[k]]));

export function webhookRoutes(
  options: WebhookOptions,
  env: (c: Context) => Record<string, string | undefined>,
): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  app.route('/', inboundRoutes({ db: options.db, table: options.inbound.table, env, kick: options.kick }));
  const e = columnsOf(options.tables.endpoints);
  const eventsSchema = z.array(z.string()).min(1).refine(
    (list) => list.every((t) => t === '*' || options.events.includes(t)),
    { message: `Unknown event type; known: ${options.events.join(', ')} (or "*")` },
  );
  const role = z.string().max(100).optional();
  const create = z.strictObject({
    url: z.string().max(2048),
    events: eventsSchema,
    description: z.string().max(500).optional(),
    role,
  });
  const update = z.strictObject({
    url: z.string().max(2048).optional(),
    events: eventsSchema.optional(),
    description: z.string().max(500).nullable().optional(),
    active: z.boolean().optional(),
    role,
  });

  /** The caller's endpoint scope, after the role check. */
  const scopeOf = (c: Context<QuickbackEnv>) => {
    const ctx: AppContext = c.get('ctx');
    if (!ctx.authenticated || !ctx.userId)
      throw apiError('AUTH_MISSING', { hint: 'Webhook endpoints are for signed-in callers.' });
    if (!ctx.activeOrgId)
      return {
        ctx,
        where: and(eq(e.userId, ctx.userId), isNull(e.organizationId)),
        owner: { organizationId: null, userId: ctx.userId },
      };
    if (!ctx.roles.some((r) => options.adminRoles.includes(r)))
      throw apiError('ACCESS_ROLE_REQUIRED', {
        details: { required: options.adminRoles },
        hint: "Managing an organization's webhooks needs one of these roles.",
      });
    return {
      ctx,
      where: eq(e.organizationId, ctx.activeOrgId),
      owner: { organizationId: ctx.activeOrgId, userId: null },
    };
  };
  const checkedUrl = async (c: Context, url: string) => {
    const target = await checkTarget(url, options.policy(c));
    if (!target.ok) throw apiError('VALIDATION_FAILED', { details: { fields: { url: target.reason } } });
  };
  const find = async (c: Context<QuickbackEnv>) => {
    const { where } = scopeOf(c);
    const [row] = await options.db(c).select().from(options.tables.endpoints).where(
      and(where, eq(e.id, c.req.param('id'))),
    ).limit(1);
    if (!row) throw apiError('NOT_FOUND', { message: 'No such webhook endpoint' });
    return row as Record<string, unknown>;
  };
  /** The endpoint, if the caller reads at least as much as it does (changing it could redirect what it reads). */
  const findToChange = async (c: Context<QuickbackEnv>) => {
    const row = await find(c);
    const roles = row.organizationId ? endpointRoles(row, options) : [];
    if (!covers(c.get('ctx').roles, roles, options.roleHierarchy)) {
      throw apiError('ACCESS_ROLE_REQUIRED', {
        details: { required: roles },
        hint: 'This endpoint reads as a role above yours: only a caller with it may change the endpoint.',
      });
    }
    return row;
  };
  /** The roles to record: organization endpoints only. */
  const rolesFor = (ctx: AppContext, requested: string | undefined) => {
    if (!ctx.activeOrgId && requested !== undefined)
      throw apiError('VALIDATION_FAILED', {
        details: { fields: { role: "Personal endpoints read as you; a role is for an organization's endpoints" } },
      });
    return ctx.activeOrgId ? chosenRoles(ctx.roles, requested, options.roleHierarchy) : null;
  };

  app.get('/events', (c) => {
    scopeOf(c);
    return c.json({ events: options.events });
  });
  app.get('/endpoints', async (c) => {
    const { where } = scopeOf(c);
    const rows = await options.db(c).select().from(options.tables.endpoints).where(where).orderBy(desc(e.createdAt));
    return c.json({ data: (rows as Record<string, unknown>[]).map(publicEndpoint) });
  });
  app.post('/endpoints', async (c) => {
    const { ctx, owner } = scopeOf(c);
    const data = parseWith(create, await readJsonObject(c)) as z.infer<typeof create>;
    const roles = rolesFor(ctx, data.role);
    await checkedUrl(c, data.url);
    const row = {
      id: newId('wep'),
      ...owner,
      url: data.url,
      events: data.events,
      description: data.description ?? null,
      active: true,
      roles,
      secret: secret(),
      createdBy: ctx.userId!,
    };
    const [created] = await options.db(c).insert(options.tables.endpoints).values(row).returning();
    return c.json({ ...publicEndpoint(created as Record<string, unknown>), secret: row.secret }, 201);
  });
  app.get('/endpoints/:id', async (c) => c.json(publicEndpoint(await find(c))));
  app.patch('/endpoints/:id', async (c) => {
    const row = await findToChange(c);
    const { role: requested, ...data } = parseWith(update, await readJsonObject(c)) as z.infer<typeof update>;
    const roles = requested === undefined ? {} : { roles: rolesFor(c.get('ctx'), requested) };
    if (data.url !== undefined) await checkedUrl(c, data.url);
    const [updated] = await options.db(c).update(options.tables.endpoints).set({
      ...data,
      ...roles,
      updatedAt: new Date().toISOString(),
    }).where(eq(e.id, row.id)).returning();
    return c.json(publicEndpoint(updated as Record<string, unknown>));
  });
  app.delete('/endpoints/:id', async (c) => {
    const row = await find(c);
    await options.db(c).delete(options.tables.deliveries).where(
      eq(columnsOf(options.tables.deliveries).endpointId, row.id),
    );
    await options.db(c).delete(options.tables.endpoints).where(eq(e.id, row.id));
    return c.json({ success: true });
  });
  app.get('/endpoints/:id/deliveries', async (c) => {
    const row = await find(c);
    const d = columnsOf(options.tables.deliveries);
    const rows = await options.db(c).select({
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      createdAt: d.createdAt,
      deliveredAt: d.deliveredAt,
    })
      .from(options.tables.deliveries).where(eq(d.endpointId, row.id)).orderBy(desc(d.createdAt)).limit(50);
    return c.json({ data: rows });
  });
  app.post('/endpoints/:id/test', async (c) => {
    const row = await find(c);
    const owner = {
      ...(row.organizationId ? { organizationId: row.organizationId as string } : { userId: row.userId as string }),
    };
    const [deliveryId] = await enqueueEvent(options.db(c), options.tables, {
      type: 'webhook.test',
      data: { endpointId: row.id },
      ...owner,
    }, row.id as string);
    if (!deliveryId)
      throw apiError('VALIDATION_FAILED', {
        message: 'The endpoint is disabled',
        hint: 'PATCH it with { "active": true } first.',
      });
    options.kick(c);
    return c.json({ deliveryId }, 202);
  });
  app.post('/endpoints/:id/rotate-secret', async (c) => {
    const row = await findToChange(c);
    const fresh = secret();
    await options.db(c).update(options.tables.endpoints).set({ secret: fresh, updatedAt: new Date().toISOString() })
      .where(eq(e.id, row.id));
    return c.json({ id: row.id, secret: fresh });
  });
  return app;
}
