/**
 * @module quickback/jwt
 * Quickback's own bearer token (seed 004, reference §2.3): HS256 over the shared secret, with the
 * claims the fast path needs to rebuild the AppContext without a database query:
 * `{ sub, orgId, teamId, role, userRole, email, name, iat, exp }` (+ `iss`, `aud` when set).
 * Verification (jose): algorithm allowlist (HS256 only), header `typ: JWT`, `exp`, `iat` and
 * `sub` required, `nbf` honoured, clock skew at most 60 s, `iss`/`aud` when configured, and no
 * token older than the configured TTL. Anything else is "no token" and the session decides.
 */
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { AppContext } from '../core/context.js';
import { splitRoles } from './session.js';

export interface JwtSettings {
  secret: string;
  /** Seconds (default 180). */
  expiresIn: number;
  issuer?: string;
  audience?: string;
}

/** Secrets shorter than this (in UTF-8 bytes) are refused at boot. */
export const MIN_SECRET_BYTES = 32;
export const CLOCK_SKEW_SECONDS = 60;

const encoder = new TextEncoder();
/** WebCrypto's key type, named portably (Node's types have no global `CryptoKey`). */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
let cached: { secret: string; key: Promise<HmacKey> } | undefined;

/** The HMAC key, imported once per secret (importing it on every verify costs more than the HMAC). */
function keyOf(secret: string): Promise<HmacKey> {
  if (cached?.secret !== secret) {
    cached = {
      secret,
      key: crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify',
      ]),
    };
  }
  return cached.key;
}

export function secretTooShort(secret: string): boolean {
  return encoder.encode(secret).byteLength < MIN_SECRET_BYTES;
}

/**
 * Tokens minted in the current second: the same context and settings in the same second give the
 * same bytes (HMAC is deterministic, `iat` has second precision), so a burst of one caller's
 * requests signs once.
 */
let minted: { second: number; tokens: Map<string, string> } = { second: -1, tokens: new Map() };

/** A signed token for a signed-in context (its verified organization, team and roles). */
export async function mintToken(ctx: AppContext, settings: JwtSettings, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  if (minted.second !== iat) minted = { second: iat, tokens: new Map() };
  const id = JSON.stringify([
    settings.secret,
    settings.expiresIn,
    settings.issuer,
    settings.audience,
    ctx.userId,
    ctx.activeOrgId,
    ctx.activeTeamId,
    ctx.roles,
    ctx.userRole,
    ctx.user?.email,
    ctx.user?.name,
  ]);
  const known = minted.tokens.get(id);
  if (known) return known;
  const token = await sign(ctx, settings, iat);
  if (minted.second === iat && minted.tokens.size < 1024) minted.tokens.set(id, token);
  return token;
}

async function sign(ctx: AppContext, settings: JwtSettings, iat: number): Promise<string> {
  const token = new SignJWT({
    orgId: ctx.activeOrgId,
    teamId: ctx.activeTeamId,
    role: ctx.roles.length > 0 ? ctx.roles.join(',') : null,
    userRole: ctx.userRole,
    email: ctx.user?.email ?? null,
    name: ctx.user?.name ?? null,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(ctx.userId!)
    .setIssuedAt(iat)
    .setExpirationTime(iat + settings.expiresIn);
  if (settings.issuer !== undefined) token.setIssuer(settings.issuer);
  if (settings.audience !== undefined) token.setAudience(settings.audience);
  return token.sign(await keyOf(settings.secret));
}

const nullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

function contextOf(claims: JWTPayload): AppContext | null {
  const { sub, orgId, teamId, role, userRole, email, name } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '' || typeof email !== 'string' || typeof name !== 'string') return null;
  if (!nullableString(orgId) || !nullableString(teamId) || !nullableString(role) || !nullableString(userRole))
    return null;
  // Frozen: the verified-token cache hands the same context to every request carrying this token.
  return Object.freeze({
    authenticated: true,
    userId: sub,
    userRole: userRole ?? 'user',
    activeOrgId: orgId,
    activeTeamId: orgId ? teamId : null,
    roles: Object.freeze(orgId ? splitRoles(role) : []) as string[],
    user: Object.freeze({ id: sub, email, name }),
  });
}

const CANONICAL_HS256_SIGNATURE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

export type TokenResult = { ctx: AppContext; iat: number } | { failure: 'expired' | 'invalid' };

/** The context a bearer token carries, or why it carries none. Signature and claims only: no I/O. */
/**
 * Tokens already verified under these settings, with the times that bound their validity: a
 * token's verdict depends only on the clock once its signature and claims have passed, so a
 * repeat is decided by comparing times (no HMAC). Bounded; the oldest entries go first.
 */
interface Verified {
  ctx: AppContext;
  iat: number;
  exp: number;
  nbf: number;
}
const MAX_VERIFIED = 1024;
let verified: { settings: JwtSettings; tokens: Map<string, Verified> } | undefined;

/** The cache of these settings (compared field by field: the settings object is new on every request). */
function verifiedTokens(settings: JwtSettings): Map<string, Verified> {
  const known = verified?.settings;
  const same = known !== undefined && known.secret === settings.secret && known.expiresIn === settings.expiresIn
    && known.issuer === settings.issuer && known.audience === settings.audience;
  if (!same) verified = { settings: { ...settings }, tokens: new Map() };
  return verified!.tokens;
}

/** The same time checks jose makes (exp, nbf, iat not in the future, age ≤ TTL), with the skew. */
function stillValid(entry: Verified, settings: JwtSettings, nowSeconds: number): boolean {
  return entry.exp > nowSeconds - CLOCK_SKEW_SECONDS && entry.nbf <= nowSeconds + CLOCK_SKEW_SECONDS
    && entry.iat <= nowSeconds + CLOCK_SKEW_SECONDS
    && nowSeconds - entry.iat - CLOCK_SKEW_SECONDS <= settings.expiresIn;
}

export async function verifyToken(token: string, settings: JwtSettings, now = Date.now()): Promise<TokenResult> {
  const tokens = verifiedTokens(settings);
  const known = tokens.get(token);
  if (known && stillValid(known, settings, now / 1000)) return { ctx: known.ctx, iat: known.iat };
  if (known) tokens.delete(token);
  const result = await verifyFully(token, settings, now);
  if ('ctx' in result) {
    if (tokens.size >= MAX_VERIFIED) tokens.delete(tokens.keys().next().value!);
    tokens.set(token, { ctx: result.ctx, ...result.times });
    return { ctx: result.ctx, iat: result.times.iat };
  }
  return result;
}

async function verifyFully(
  token: string,
  settings: JwtSettings,
  now: number,
): Promise<{ ctx: AppContext; times: Omit<Verified, 'ctx'> } | { failure: 'expired' | 'invalid' }> {
  // Base64url leaves spare bits in the last character: only the canonical HS256 signature (32
  // bytes, 43 characters) is accepted, so no two spellings of one token both verify.
  if (!CANONICAL_HS256_SIGNATURE.test(token.slice(token.lastIndexOf('.') + 1))) return { failure: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, await keyOf(settings.secret), {
      algorithms: ['HS256'],
      typ: 'JWT',
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: settings.expiresIn,
      currentDate: new Date(now),
      ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
      ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
    });
    const ctx = contextOf(payload);
    return ctx
      ? { ctx, times: { iat: payload.iat!, exp: payload.exp!, nbf: payload.nbf ?? -Infinity } }
      : { failure: 'invalid' };
  } catch (err) {
    return { failure: (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
  }
}

/** The token of `Authorization: Bearer <jwt>` when it has the shape of a JWT (else a session token, or nothing). */
export function bearerJwt(authorization: string | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '');
  return match ? match[1] : null;
}
