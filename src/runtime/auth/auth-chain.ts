/**
 * @module quickback/auth-chain
 * Who is calling, on every `/api/*` request (reference §5.2): an API key (api-key.ts) →
 * `Authorization: Bearer <jwt>` (the fast path: signature and claims only, no database query) →
 * the Better Auth session (membership re-read; then a fresh token is minted into
 * `set-auth-token`) → an anonymous context (or 401 when the bearer value is an API key, which
 * goes in `x-api-key`). A refused key or token falls back to the session;
 * without one the request stays anonymous and routes that need a user answer AUTH_EXPIRED /
 * AUTH_INVALID_TOKEN instead of AUTH_MISSING.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { authRequired } from '../core/auth-required.js';
import { apiError } from '../core/errors.js';
import { apiKeyOf, contextFromApiKey, keyAsBearer } from './api-key.js';
import { bearerJwt, mintToken, secretTooShort, verifyToken, type JwtSettings } from './jwt.js';
import { tokenStanding, type Revocation } from './revocation.js';
import { contextOf, type AuthServices } from './session.js';
import type { QuickbackEnv, C } from '../core/types.js';

/** The fast path's settings; the secret is read from `secretEnv` of each request's env. */
export interface JwtOptions {
  secretEnv: string;
  expiresIn: number;
  issuer?: string;
  audience?: string;
}

export function jwtSettings(jwt: JwtOptions | undefined, env: Record<string, string | undefined>): JwtSettings | null {
  const secret = jwt ? env[jwt.secretEnv] : undefined;
  return jwt && secret ? { secret, expiresIn: jwt.expiresIn, issuer: jwt.issuer, audience: jwt.audience } : null;
}

/** Boot check of the signing secret: present secrets shorter than 32 bytes are refused (503). */
export function weakSecret(jwt: JwtOptions | undefined, env: Record<string, string | undefined>): string | null {
  const secret = jwt ? env[jwt.secretEnv] : undefined;
  return jwt && secret && secretTooShort(secret) ? jwt.secretEnv : null;
}

export function authChain(
  services: (c: Context) => AuthServices,
  settings: (c: Context) => JwtSettings | null,
  revocation: (c: Context) => Revocation | null = () => null,
): MiddlewareHandler<QuickbackEnv> {
  return async (c, next) => {
    const s = services(c);
    let refused: 'expired' | 'invalid' | null = null;
    let unreadable = false; // the token's denylist entry could not be read (revocation.ts)
    const key = s.auth.apiKeys ? apiKeyOf(c) : null;
    if (key) {
      const seen: { keyId?: string } = {};
      const byKey = await contextFromApiKey(key, s.auth.apiKeys!, s.memberRoles, seen);
      if (byKey) {
        c.set('ctx', byKey);
        if (seen.keyId) c.set('authRef', { kid: seen.keyId });
        c.set('authVia', 'apiKey');
        return next();
      }
      refused = 'invalid';
    }
    const jwt = settings(c);
    const token = jwt ? bearerJwt(c.req.header('authorization')) : null;
    if (jwt && token) {
      const verdict = await verifyToken(token, jwt);
      const denylist = 'ctx' in verdict ? revocation(c) : null;
      const standing = 'ctx' in verdict && denylist
        ? await tokenStanding(denylist, verdict.ctx.userId!, verdict.iat)
        : 'valid';
      unreadable = standing === 'unknown';
      const result = standing === 'valid' ? verdict : { failure: 'invalid' as const };
      if ('ctx' in result) {
        c.set('ctx', result.ctx);
        c.set('authVia', 'jwt');
        return next();
      }
      refused = result.failure;
    }
    const external = s.auth.bearer ? await s.auth.bearer(c.req.raw.headers) : undefined;
    if (external && 'failure' in external) refused = external.failure;
    const session = external !== undefined
      ? (external && 'session' in external ? external.session : null)
      : await s.auth.api.getSession({ headers: c.req.raw.headers });
    const ctx = await contextOf(session, s.memberRoles, s.teamMembership);
    // A valid token whose denylist cannot be read, and no session: the store is down, not the token.
    if (unreadable && !ctx.authenticated)
      throw apiError('STORAGE_UNAVAILABLE', {
        hint: 'The token revocation list (defineStorage) could not be read; retry shortly, or send the session cookie.',
      });
    if (ctx.authenticated && session?.session.id) c.set('authRef', { sid: session.session.id });
    const bearer = /^Bearer +(\S+)$/i.exec(c.req.header('authorization')?.trim() ?? '')?.[1];
    if (!ctx.authenticated && bearer && s.auth.apiKeys && !bearerJwt(`Bearer ${bearer}`))
      await keyAsBearer(bearer, s.auth.apiKeys);
    c.set('ctx', ctx);
    c.set('authVia', ctx.authenticated ? 'session' : refused ?? 'none');
    if (!ctx.authenticated || !jwt) return next();
    const fresh = await mintToken(ctx, jwt);
    c.set('authToken', fresh);
    await next();
    c.res.headers.set('set-auth-token', fresh);
  };
}

/** `POST /api/v1/token` → `{ token }`: only a session can mint one (a token never renews itself). */
export function tokenRoute(c: C) {
  const token = c.get('authToken');
  if (token && c.get('authVia') === 'session') return c.json({ token });
  if (c.get('authVia') === 'jwt')
    throw apiError('AUTH_MISSING', {
      hint: 'A bearer token cannot renew itself: send the session cookie to get a token.',
    });
  throw authRequired(
    c,
    'Sign in first (POST /auth/v1/sign-in/email), then POST /api/v1/token with the session cookie.',
  );
}
