/**
 * @module quickback/oauth-revoke
 * RFC 7009 §2.1 for the oauthProvider plugin's `POST /auth/v1/oauth2/revoke`: the server "verifies
 * whether the token was issued to the client making the revocation request. If this validation
 * fails, the request is refused". Better Auth answers 200 and revokes nothing when client B sends a
 * token of client A, so B could not tell its call did nothing; this plugin's `before` hook finds
 * the token (refresh or opaque access token, by its stored SHA-256 form or as stored in plain) and
 * refuses it with 400 `unauthorized_client` when it belongs to another client than the one named
 * (`client_id` in the body, HTTP Basic, or the subject of a `client_assertion`; the plugin
 * authenticates that client afterwards, as before). The owner's revoke answers 200 and revokes. An
 * unknown, expired or already revoked token answers 200 too (RFC 7009 §2.2: "invalid tokens do not
 * cause an error response"; Better Auth answers 400 `invalid_request` for them, which the `after`
 * hook turns into 200). A JWT access token is self-contained and stays 400
 * `unsupported_token_type` (RFC 7009 §2.2.1); revoke its refresh token instead.
 */
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';

const MODELS = ['oauthRefreshToken', 'oauthAccessToken'];
/** Better Auth's 400s for a token that is unknown, expired or already revoked: 200 per RFC 7009 §2.2. */
const INVALID_TOKEN = new Set(['token not found', 'Invalid access token', 'opaque access token not found', 'refresh token revoked']);

async function sha256Url(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    return JSON.parse(atob(segment.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The client the request names (authenticated by the plugin after this hook). */
export function claimedClient(body: Record<string, unknown> | undefined, authorization: string | null | undefined): string | null {
  if (typeof body?.client_id === 'string' && body.client_id) return body.client_id;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    try {
      const decoded = atob(basic[1]);
      const colon = decoded.indexOf(':');
      return decodeURIComponent(colon < 0 ? decoded : decoded.slice(0, colon));
    } catch {
      return null;
    }
  }
  if (typeof body?.client_assertion === 'string') {
    const sub = decodeSegment(body.client_assertion.split('.')[1] ?? '')?.sub;
    return typeof sub === 'string' ? sub : null;
  }
  return null;
}

/** The Better Auth plugin that refuses a cross-client revoke. */
export function oauthRevokeGuard(): BetterAuthPlugin {
  return {
    id: 'quickback-oauth-revoke',
    hooks: {
      before: [{
        matcher: (ctx) => ctx.path === '/oauth2/revoke',
        handler: createAuthMiddleware(async (ctx) => {
          const body = (ctx.body ?? undefined) as Record<string, unknown> | undefined;
          const token = typeof body?.token === 'string' ? body.token.replace(/^Bearer\s+/i, '') : '';
          const clientId = claimedClient(body, ctx.headers?.get('authorization'));
          if (!token || !clientId) return; // the plugin answers these
          const stored = [await sha256Url(token), token];
          for (const model of MODELS) {
            for (const value of stored) {
              const row = await ctx.context.adapter.findOne<{ clientId?: string | null }>({ model, where: [{ field: 'token', value }] });
              if (row && row.clientId !== clientId) {
                throw new APIError('BAD_REQUEST', { error: 'unauthorized_client', error_description: 'The token was not issued to this client' });
              }
            }
          }
        }),
      }],
      after: [{
        matcher: (ctx) => ctx.path === '/oauth2/revoke',
        handler: createAuthMiddleware(async (ctx) => {
          const returned = ctx.context.returned;
          if (!isAPIError(returned) || returned.statusCode !== 400) return;
          const body = returned.body as { error?: string; error_description?: string } | undefined;
          if (body?.error === 'invalid_request' && INVALID_TOKEN.has(body.error_description ?? '')) {
            // A Response: the error's 400 would otherwise stay the status of a replaced body.
            return new Response('null', { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
          }
        }),
      }],
    },
  };
}
