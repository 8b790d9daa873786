/**
 * @module quickback/auth-required
 * The 401 of a route that needs a user, worded by how the auth chain (auth-chain.ts) left the
 * request: an expired or refused bearer credential, or none at all. Below the policy engines and
 * the auth chain, which both answer it.
 */
import { apiError } from './errors.js';
import type { C } from './types.js';

/** 401 for a caller without a user: why the bearer token was refused, or that none was given. */
export function authRequired(c: C, hint: string) {
  const via = c.get('authVia');
  if (via === 'expired')
    return apiError('AUTH_EXPIRED', {
      hint:
        'The bearer token has expired: use the fresh one from `set-auth-token`, or POST /api/v1/token with a session.',
    });
  if (via === 'invalid')
    return apiError('AUTH_INVALID_TOKEN', { hint: 'The API key or bearer token was refused. ' + hint });
  return apiError('AUTH_MISSING', { hint });
}
