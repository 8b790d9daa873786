/**
 * @module quickback/oauth-revoke
 * RFC 7009 for the oauthProvider plugin's `POST /auth/v1/oauth2/revoke`, the decisions of the
 * Better Auth plugin that src/auth/oauth.ts builds from them (this module imports no Better Auth,
 * so apps with external auth, which lack the package, still typecheck). §2.1: the server "verifies
 * whether the token was issued to the client making the revocation request. If this validation
 * fails, the request is refused". Better Auth answers 200 and revokes nothing when client B sends
 * a token of client A, so B could not tell its call did nothing; `foreignToken` finds the token
 * (refresh or opaque access token, by its stored SHA-256 form or as stored in plain) and tells
 * whether it belongs to another client than the one named (`client_id` in the body, HTTP Basic,
 * or the subject of a `client_assertion`; Better Auth authenticates that client afterwards, as
 * before): refused with 400 `unauthorized_client` (CROSS_CLIENT). The owner's revoke answers 200
 * and revokes. An unknown, expired or already revoked token answers 200 too (§2.2: "invalid
 * tokens do not cause an error response"; Better Auth answers 400 `invalid_request` for them,
 * which `invalidTokenAnswer` turns into 200). A JWT access token is self-contained and stays 400
 * `unsupported_token_type` (§2.2.1); revoke its refresh token instead.
 */

const MODELS = ['oauthRefreshToken', 'oauthAccessToken'];
/** Better Auth's descriptions of its 400s for a token that is unknown, expired or already revoked. */
const INVALID_TOKEN = new Set([
  'token not found',
  'Invalid access token',
  'opaque access token not found',
  'refresh token revoked',
]);

/** The OAuth error body of a cross-client revoke (RFC 6749 §5.2). */
export const CROSS_CLIENT = {
  error: 'unauthorized_client',
  error_description: 'The token was not issued to this client',
};

/** A stored token row: which client it was issued to. */
export type FindToken = (model: string, value: string) => Promise<{ clientId?: string | null } | null>;

async function sha256Url(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The client the request names (authenticated by Better Auth after the check). */
export function claimedClient(
  body: Record<string, unknown> | undefined,
  authorization: string | null | undefined,
): string | null {
  if (typeof body?.client_id === 'string' && body.client_id) return body.client_id;
  try {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (basic) {
      const decoded = atob(basic[1]);
      const colon = decoded.indexOf(':');
      return decodeURIComponent(colon < 0 ? decoded : decoded.slice(0, colon));
    }
    if (typeof body?.client_assertion === 'string') {
      const payload = body.client_assertion.split('.')[1] ?? '';
      const sub = (JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown }).sub;
      return typeof sub === 'string' ? sub : null;
    }
  } catch {
    return null; // not decodable: Better Auth refuses the credentials itself
  }
  return null;
}

/** True when the token of a revoke request was issued to another client than the one named. */
export async function foreignToken(
  body: unknown,
  authorization: string | null | undefined,
  find: FindToken,
): Promise<boolean> {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const token = typeof fields?.token === 'string' ? fields.token.replace(/^Bearer\s+/i, '') : '';
  const clientId = claimedClient(fields, authorization);
  if (!token || !clientId) return false; // Better Auth answers these
  const stored = [await sha256Url(token), token];
  for (const model of MODELS) {
    for (const value of stored) {
      const row = await find(model, value);
      if (row && row.clientId !== clientId) return true;
    }
  }
  return false;
}

/** For Better Auth's answer to a revoke: a 200 in place of its 400 for an invalid token, else null. */
export function invalidTokenAnswer(returned: unknown): Response | null {
  const error = returned as { statusCode?: unknown; body?: { error?: unknown; error_description?: unknown } } | null;
  if (
    error?.statusCode !== 400 || error.body?.error !== 'invalid_request'
    || !INVALID_TOKEN.has(String(error.body.error_description))
  ) return null;
  // A Response: a replaced body would keep the error's 400 as its status.
  return new Response('null', {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
