/**
 * @module quickback/passkey-input
 * The body of the passkey verify routes (`/passkey/register/verify` = `/passkey/verify-registration`,
 * `/passkey/authenticate/verify` = `/passkey/verify-authentication`): `{ response }` must be the
 * browser's credential as JSON (`PublicKeyCredential.toJSON()`, what @simplewebauthn/browser
 * returns). Anything else answers 400 VALIDATION_FAILED naming the field, before Better Auth,
 * whose registration route answers a malformed credential with a 500. A well-formed credential
 * that fails verification gets Better Auth's FAILED_TO_VERIFY_REGISTRATION 500, which is the
 * client's credential at fault: it is answered as 400 too (Better Auth has logged the cause).
 */
import type { MiddlewareHandler } from 'hono';
import { apiError } from '../core/errors.js';

type Ceremony = 'registration' | 'authentication';

const CEREMONIES: Record<string, Ceremony> = {
  '/passkey/register/verify': 'registration',
  '/passkey/verify-registration': 'registration',
  '/passkey/authenticate/verify': 'authentication',
  '/passkey/verify-authentication': 'authentication',
};

/** The bytes each ceremony's authenticator response carries (base64url). */
const PARTS: Record<Ceremony, string[]> = {
  registration: ['attestationObject'],
  authentication: ['authenticatorData', 'signature'],
};

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function clientData(encoded: string): unknown {
  try {
    return JSON.parse(atob(encoded.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')));
  } catch {
    return undefined;
  }
}

/** The first field of a verify body that is not a credential of this ceremony, as [field, reason]. */
export function passkeyProblem(body: unknown, ceremony: Ceremony): [string, string] | undefined {
  const credential = isObject(body) ? body.response : undefined;
  if (!isObject(credential))
    return ['response', 'must be the credential from navigator.credentials (PublicKeyCredential.toJSON())'];
  for (const key of ['id', 'rawId']) {
    if (typeof credential[key] !== 'string' || !BASE64URL.test(credential[key] as string))
      return [`response.${key}`, 'must be a base64url string'];
  }
  if (credential.type !== 'public-key') return ['response.type', 'must be "public-key"'];
  const answer = credential.response;
  if (!isObject(answer)) return ['response.response', 'must be the authenticator response object'];
  for (const key of ['clientDataJSON', ...PARTS[ceremony]]) {
    if (typeof answer[key] !== 'string' || !BASE64URL.test(answer[key] as string))
      return [`response.response.${key}`, 'must be a base64url string'];
  }
  const data = clientData(answer.clientDataJSON as string);
  const expected = ceremony === 'registration' ? 'webauthn.create' : 'webauthn.get';
  if (!isObject(data) || data.type !== expected || typeof data.challenge !== 'string') {
    return [
      'response.response.clientDataJSON',
      `must be the client data of a ${expected} ceremony (base64url JSON with type and challenge)`,
    ];
  }
  return undefined;
}

const HINT =
  'Send {"response": credential.toJSON()} from navigator.credentials, as @simplewebauthn/browser returns it.';

async function failedVerification(response: Response): Promise<boolean> {
  const body = (await response.clone().json().catch(() => null)) as { code?: unknown } | null;
  return body?.code === 'FAILED_TO_VERIFY_REGISTRATION';
}

/** Checks the verify routes' bodies under `base` (Better Auth's mount, /auth/v1). */
export function passkeyBodyCheck(base: string): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path.slice(base.length);
    const ceremony = c.req.method === 'POST' && Object.prototype.hasOwnProperty.call(CEREMONIES, path)
      ? CEREMONIES[path]
      : undefined;
    if (ceremony) {
      let body: unknown;
      try {
        body = await c.req.raw.clone().json();
      } catch {
        throw apiError('INVALID_JSON', { hint: 'Send {"response": <the credential as JSON>}.' });
      }
      const problem = passkeyProblem(body, ceremony);
      if (problem)
        throw apiError('VALIDATION_FAILED', { details: { fields: { [problem[0]]: problem[1] } }, hint: HINT });
    }
    await next();
    if (ceremony === 'registration' && c.res.status === 500 && (await failedVerification(c.res))) {
      throw apiError('VALIDATION_FAILED', {
        message: 'The passkey credential did not verify',
        details: { fields: { response: 'did not verify against the registration challenge' } },
        hint: HINT,
      });
    }
  };
}
