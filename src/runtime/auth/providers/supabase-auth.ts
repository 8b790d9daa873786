/**
 * @module quickback/supabase-auth
 * `defineAuth("supabase-auth")` (issue #11, seed 000): users sign in at Supabase Auth; this API
 * accepts the access tokens Supabase issues, as `Authorization: Bearer <token>`, and builds the
 * same auth context from them. Verification (jose): the project's JWKS at
 * `SUPABASE_URL/auth/v1/.well-known/jwks.json` for asymmetric keys (ES256, RS256), or
 * SUPABASE_JWT_SECRET for the legacy shared secret (HS256, only when it is set); `exp` and `sub`
 * required, issuer `SUPABASE_URL/auth/v1`, audience and role `authenticated` (the anon key's
 * token is anonymous), clock skew at most 60 s. The platform role comes from `app_metadata.role`,
 * which only the server can set (never `user_metadata`, which users edit themselves).
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { apiError } from '../../core/errors.js';
import type { AuthLike, SessionLike } from '../session.js';

export interface SupabaseAuthEnv {
  SUPABASE_URL?: string;
  SUPABASE_JWT_SECRET?: string;
}
export type BearerVerdict = { session: SessionLike } | { failure: 'expired' | 'invalid' } | null;

const ASYMMETRIC = ['ES256', 'RS256'];
const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksOf(base: string) {
  let jwks = jwksCache.get(base);
  if (!jwks)
    jwksCache.set(
      base,
      jwks = createRemoteJWKSet(new URL(`${base}/auth/v1/.well-known/jwks.json`), {
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
      }),
    );
  return jwks;
}

function sessionOf(payload: JWTPayload): SessionLike {
  const appMetadata = (payload.app_metadata ?? {}) as Record<string, unknown>;
  const email = typeof payload.email === 'string' ? payload.email : '';
  return {
    user: {
      id: payload.sub!,
      email,
      name: email,
      role: typeof appMetadata.role === 'string' ? appMetadata.role : 'user',
    },
    session: {},
  };
}

/** The verdict on a request's bearer token: a session, a refusal (why), or null when none was sent. */
export async function verifySupabaseToken(headers: Headers, env: SupabaseAuthEnv): Promise<BearerVerdict> {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
  if (!match || !env.SUPABASE_URL) return null;
  const token = match[1];
  const base = env.SUPABASE_URL.replace(/\/+$/, '');
  try {
    const { alg } = decodeProtectedHeader(token);
    const options = {
      issuer: `${base}/auth/v1`,
      audience: 'authenticated',
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 60,
    };
    const { payload } = alg === 'HS256' && env.SUPABASE_JWT_SECRET
      ? await jwtVerify(token, new TextEncoder().encode(env.SUPABASE_JWT_SECRET), { ...options, algorithms: ['HS256'] })
      : await jwtVerify(token, jwksOf(base), { ...options, algorithms: ASYMMETRIC });
    if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || payload.sub === '')
      return { failure: 'invalid' };
    return { session: sessionOf(payload) };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { failure: 'expired' };
    if (err instanceof errors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message))) {
      throw apiError('AUTH_SERVICE_UNAVAILABLE', { hint: "Supabase Auth's JWKS did not answer: check SUPABASE_URL." });
    }
    return { failure: 'invalid' };
  }
}

/** The AuthLike the request pipeline uses: no auth routes here (Supabase Auth serves sign-in). */
export function supabaseAuth(env: SupabaseAuthEnv): AuthLike {
  return {
    handler: async () => {
      throw apiError('ROUTE_NOT_FOUND', {
        hint: `Sign in with Supabase Auth (${
          env.SUPABASE_URL ?? 'SUPABASE_URL'
        }/auth/v1), then send its access token as Authorization: Bearer.`,
      });
    },
    api: {
      getSession: async ({ headers }) => {
        const verdict = await verifySupabaseToken(headers, env);
        return verdict && 'session' in verdict ? verdict.session : null;
      },
    },
    bearer: (headers) => verifySupabaseToken(headers, env),
  };
}
