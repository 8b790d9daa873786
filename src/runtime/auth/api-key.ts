/**
 * @module quickback/api-key
 * API keys (Better Auth's apiKey plugin; reference §5.2, seed 002), first in the auth chain:
 * `x-api-key` (preferred), else `?api_key=`, else `?key=`. The key is verified by Better Auth
 * (its own rate limit and expiry); its owner becomes the caller, and `metadata.organizationId`
 * the active organization with the owner's role there, read from the membership (an owner who is
 * no longer a member gets no organization). Rate-limited → 429 AUTH_RATE_LIMITED, expired →
 * 401 AUTH_EXPIRED; any other refusal leaves the request to the bearer token and the session.
 * A key sent as `Authorization: Bearer <key>` is refused with where it goes (`keyAsBearer`).
 */
import type { Context } from 'hono';
import type { AppContext } from '../core/context.js';
import { apiError } from '../core/errors.js';
import type { MemberRoles } from '../core/types.js';

/** What Better Auth's `auth.api.verifyApiKey({ body: { key } })` answers (the fields used here). */
export interface ApiKeyVerdict {
  valid: boolean;
  error: { code?: string; message?: string } | null;
  key: { id?: string; referenceId?: string; userId?: string; metadata?: unknown } | null;
}

export interface ApiKeys {
  verify(key: string): Promise<ApiKeyVerdict>;
  /** The key owner's user row. */
  userById(id: string): Promise<{ id: string; email: string; name: string; role?: string | null } | null>;
}

/** The query names that carry a key; list routes never read them as filters. */
export const API_KEY_PARAMS = ['api_key', 'key'];

export function apiKeyOf(c: Context): string | null {
  const key = c.req.header('x-api-key') ?? c.req.query('api_key') ?? c.req.query('key');
  return key ? key : null;
}

/**
 * 401 AUTH_INVALID_TOKEN when a bearer value that neither the JWT fast path nor a session took is
 * one of Better Auth's API keys: it authenticates nothing there, and "Sign in first" would mislead.
 * Only unauthenticated requests with such a bearer pay for the lookup.
 */
export async function keyAsBearer(bearer: string, keys: ApiKeys): Promise<void> {
  const verdict = await keys.verify(bearer);
  const code = verdict.error?.code;
  if (verdict.valid || (code !== undefined && code !== 'KEY_NOT_FOUND' && code !== 'INVALID_API_KEY')) {
    throw apiError('AUTH_INVALID_TOKEN', {
      message: 'An API key was sent as a bearer token',
      hint: 'Send the API key in the x-api-key header (or ?api_key=), not in Authorization: Bearer.',
    });
  }
}

function organizationOf(metadata: unknown): string | null {
  const parsed = typeof metadata === 'string' ? safeJson(metadata) : metadata;
  const org = (parsed as { organizationId?: unknown } | null)?.organizationId;
  return typeof org === 'string' && org !== '' ? org : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The caller a key stands for, or null when Better Auth does not know the key (the chain goes on); `seen.keyId` gets the key's id. */
export async function contextFromApiKey(
  key: string,
  keys: ApiKeys,
  memberRoles?: MemberRoles,
  seen: { keyId?: string } = {},
): Promise<AppContext | null> {
  const verdict = await keys.verify(key);
  if (!verdict.valid || !verdict.key) {
    const code = verdict.error?.code;
    if (code === 'RATE_LIMITED')
      throw apiError('AUTH_RATE_LIMITED', { hint: 'This API key is over its request limit; retry later.' });
    if (code === 'KEY_EXPIRED')
      throw apiError('AUTH_EXPIRED', {
        hint: 'This API key has expired: create a new one (POST /auth/v1/api-key/create).',
      });
    return null;
  }
  const ownerId = verdict.key.referenceId ?? verdict.key.userId;
  const user = ownerId ? await keys.userById(ownerId) : null;
  if (!user) return null;
  if (verdict.key.id) seen.keyId = verdict.key.id;
  const org = organizationOf(verdict.key.metadata);
  const roles = org && memberRoles ? await memberRoles(org, user.id) : null;
  return {
    authenticated: true,
    userId: user.id,
    userRole: user.role ?? 'user',
    activeOrgId: roles ? org : null,
    activeTeamId: null,
    roles: roles ?? [],
    user: { id: user.id, email: user.email, name: user.name },
  };
}
