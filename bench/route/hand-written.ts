/**
 * The hand-written baseline of `npm run bench:route`: GET /api/v1/tickets and /:id written
 * directly with Hono + Drizzle, with the semantics of the generated routes: Better Auth session,
 * membership and role (member+) in the active organization, the tenant filter and soft delete,
 * limit/offset/sort parsing, masking of customerEmail below admin, the same JSON shapes, weak
 * ETag (node:crypto SHA-256, as generated), request id and security headers, and a bearer token
 * minted with jose after the session (`set-auth-token`, seed 004). It reuses only the compiled project's database and auth
 * factories (so both servers pay the same session cost). Run with ROOT=<compiled project>.
 */
import { serve } from '@hono/node-server';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { SignJWT } from 'jose';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function handWrittenApp(root: string, env: Record<string, string>) {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  const { createDatabases } = await load('src/db/index.ts');
  const { createAuth } = await load('src/auth/index.ts');
  const { tickets } = await load('src/features/tickets/tickets.schema.ts');
  const { member } = await load('src/db/auth-schema.ts');
  const jwtKey = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(env.BETTER_AUTH_SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const dbs = createDatabases(env);
  const auth = createAuth(dbs.auth, env);
  const HEADERS: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'self'",
    'cross-origin-embedder-policy': 'require-corp',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'geolocation=(), microphone=(), camera=()',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
  };

  const fail = (c: Context, status: 401 | 400 | 403, code: string, error: string) =>
    c.json({ error, layer: status === 401 ? 'authentication' : 'firewall', code }, status);
  const maskEmail = (v: string | null) => {
    if (v === null) return v;
    const at = v.lastIndexOf('@');
    if (at <= 0) return '[REDACTED]';
    const domain = v.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    return `${v[0]}***@${domain.slice(0, 1)}***${dot > 0 ? domain.slice(dot) : ''}`;
  };

  async function caller(c: Context) {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) return { error: fail(c, 401, 'AUTH_MISSING', 'Authentication required') };
    const org = session.session.activeOrganizationId;
    const [row] = org
      ? await dbs.auth.select({ role: member.role }).from(member).where(
        and(eq(member.organizationId, org), eq(member.userId, session.user.id)),
      ).limit(1)
      : [];
    if (!row) return { error: fail(c, 400, 'ORG_REQUIRED', 'An active organization is required') };
    const roles = String(row.role).split(',');
    const iat = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      orgId: org,
      teamId: null,
      role: row.role,
      userRole: session.user.role ?? 'user',
      email: session.user.email,
      name: session.user.name,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(session.user.id).setIssuedAt(iat).setExpirationTime(
        iat + 180,
      ).sign(jwtKey);
    c.header('set-auth-token', token);
    if (!roles.some((r) => ['member', 'admin', 'owner'].includes(r)))
      return {
        error: c.json({ error: 'Your role does not allow this', layer: 'access', code: 'ACCESS_ROLE_REQUIRED' }, 403),
      };
    return { org: org as string, seesEmail: roles.some((r) => r === 'admin' || r === 'owner') };
  }

  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('x-request-id', crypto.randomUUID());
    for (const [k, v] of Object.entries(HEADERS)) c.res.headers.set(k, v);
    if (c.req.method !== 'GET' || c.res.status >= 400) return;
    const body = new Uint8Array(await c.res.clone().arrayBuffer());
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const tag = `W/"${hash}"`;
    if (c.req.header('if-none-match')?.includes(`"${hash}"`))
      c.res = new Response(null, { status: 304, headers: { etag: tag } });
    else {
      c.res.headers.set('etag', tag);
      c.res.headers.set('cache-control', 'private, no-cache');
    }
  });
  app.get('/api/v1/tickets', async (c) => {
    const who = await caller(c);
    if (who.error) return who.error;
    const int = (
      raw: string | undefined,
      fallback: number,
      max: number,
    ) => (raw && /^\d+$/.test(raw) ? Math.min(max, Math.max(1, Number(raw))) : fallback);
    const limit = int(c.req.query('limit'), 50, 100);
    const offset = Number(/^\d+$/.test(c.req.query('offset') ?? '') ? c.req.query('offset') : 0);
    const rows = await dbs.features.select().from(tickets).where(
      and(eq(tickets.organizationId, who.org), isNull(tickets.deletedAt)),
    )
      .orderBy(desc(tickets.createdAt), asc(tickets.id)).limit(limit + 1).offset(offset);
    const data = rows.slice(0, limit).map((
      r: { customerEmail: string | null },
    ) => (who.seesEmail ? r : { ...r, customerEmail: maskEmail(r.customerEmail) }));
    return c.json({
      data,
      view: null,
      pagination: { limit, offset, count: data.length, hasMore: rows.length > limit },
    });
  });
  app.get('/api/v1/tickets/:id', async (c) => {
    const who = await caller(c);
    if (who.error) return who.error;
    const [row] = await dbs.features.select().from(tickets).where(
      and(eq(tickets.organizationId, who.org), isNull(tickets.deletedAt), eq(tickets.id, c.req.param('id'))),
    ).limit(1);
    if (!row)
      return c.json({
        error: 'Record not found or not accessible',
        layer: 'firewall',
        code: 'FIREWALL_NOT_FOUND',
        hint: 'No tickets record with this id is visible to you.',
      }, 403);
    return c.json(who.seesEmail ? row : { ...row, customerEmail: maskEmail(row.customerEmail) });
  });

  return app;
}

if (process.env.ROOT && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env as Record<string, string>;
  const app = await handWrittenApp(env.ROOT, env);
  const server = serve({ fetch: app.fetch, port: Number(env.PORT), hostname: '127.0.0.1' }, () => console.log('ready'));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
