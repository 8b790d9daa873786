/**
 * @module emitters/openapi/print/security
 * The ways in, as the runtime has them (runtime/auth-chain.ts, api-key.ts, jwt.ts, session.ts):
 * an API key (Better Auth's apiKey plugin: `x-api-key`, else `?api_key=` or `?key=`) → Quickback's
 * bearer token (the JWT fast path, `auth.jwt`) → the session (Better Auth's cookie, or its session
 * token as a bearer token with the bearer plugin; with external auth, the auth service's session;
 * with Supabase Auth, its access token). Only the schemes the app accepts are declared. Each
 * operation lists the schemes its route accepts, `{}` too when an anonymous caller can pass, and
 * nothing (`[]`) when no caller can change its answer.
 */
import type { AccessModel, AppModel, FeatureModel } from '../../../compiler/model/ir.js';
import { allowsAnonymous } from '../../../runtime/policy/access.js';
import type { Schema } from './schemas.js';

export interface Auth {
  /** What the auth chain accepts: every route under /api, /storage/v1, /broadcast/v1 and /webhooks/v1. */
  chain: string[];
  /** What makes a session (POST /api/v1/token, a signed-in /openapi.json): no API key, no Quickback token. */
  session: string[];
}

export function authOf(model: AppModel): Auth {
  const { provider, plugins } = model.auth;
  if (provider === 'supabase-auth') return { chain: ['supabaseAccessToken'], session: ['supabaseAccessToken'] };
  const own = provider === 'better-auth';
  const keys = own && plugins.includes('apiKey') ? ['apiKeyHeader', 'apiKeyQuery'] : [];
  const session = [...(own && plugins.includes('bearer') ? ['sessionToken'] : []), 'sessionCookie'];
  return { chain: [...keys, ...(model.jwt ? ['bearerToken'] : []), ...session], session };
}

/** `components.securitySchemes`: exactly the schemes of `authOf(model).chain`, in its order. */
export function securitySchemes(model: AppModel): Record<string, Schema> {
  const external = model.auth.external;
  const all: Record<string, Schema> = {
    apiKeyHeader: {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      description:
        "An API key of Better Auth's apiKey plugin (POST /auth/v1/api-key/create); its `metadata.organizationId` is the organization it acts in, with its owner's role there. Checked before any other credential.",
    },
    apiKeyQuery: {
      type: 'apiKey',
      in: 'query',
      name: 'api_key',
      description:
        'The same API key as a query parameter (`?key=` is read too; the header wins). Query strings end up in logs: prefer the header.',
    },
    bearerToken: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        `Quickback's HS256 token (valid ${model.jwt?.expiresIn} s), verified without a database query: from the \`set-auth-token\` header of any /api response to a session, or POST /api/v1/token.`,
    },
    sessionToken: {
      type: 'http',
      scheme: 'bearer',
      description:
        `Better Auth's session token (bearer plugin): the \`set-auth-token\` header of the sign-in response (POST /auth/v1/sign-in/email)${
          model.auth.plugins.includes('deviceAuthorization')
            ? ' or the access_token of the device authorization grant'
            : ''
        }, sent instead of the cookie.`,
    },
    sessionCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: 'better-auth.session_token',
      description: external
        ? `The session cookie of the auth service (Better Auth at ${external.basePath}${
          external.proxy ? ', signed in through /auth/v1 here' : ''
        }); this API asks the service for the session with it (with any Authorization and x-api-key header).`
        : 'The Better Auth session cookie set by the sign-in routes (POST /auth/v1/sign-in/email; `__Secure-` prefixed over HTTPS).',
    },
    supabaseAccessToken: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        "An access token issued by Supabase Auth (SUPABASE_URL/auth/v1), verified against the project's JWKS or JWT secret.",
    },
  };
  return Object.fromEntries(authOf(model).chain.map((name) => [name, all[name]]));
}

/** One requirement per scheme (any one will do), and `{}` when no credentials are needed. */
export const requirement = (schemes: string[], anonymous = false): Schema[] => [
  ...schemes.map((s) => ({ [s]: [] })),
  ...(anonymous ? [{}] : []),
];

/** User and team scopes need a signed-in caller: an anonymous one gets 401 before access is judged (firewall requireScope). */
const needsCaller = (feature: FeatureModel) =>
  feature.firewall.predicates.some((p) => 'equals' in p && p.equals !== 'ctx.activeOrgId');

/** A rule whose verdict no caller changes: PUBLIC on every branch, no user roles, no record conditions (platform admins skip those). */
function blind(rule: AccessModel): boolean {
  const delegated = rule.roles !== undefined || rule.or !== undefined || rule.and !== undefined;
  return delegated && rule.userRole === undefined && rule.record === undefined
    && (rule.roles?.includes('PUBLIC') ?? true)
    && (rule.or ?? []).every(blind) && (rule.and ?? []).every(blind);
}

/**
 * The security of a route guarded by `rule` on `feature` (null: no table): its schemes; `{}` too
 * when an anonymous caller passes (the runtime's own `allowsAnonymous`); `[]` when no credentials
 * change the answer: a blind rule on a feature without caller scope or masking, and no handler
 * (`handler`: an action's, which sees the caller).
 */
export function accessSecurity(
  schemes: string[],
  rule: AccessModel,
  feature: FeatureModel | null,
  handler = false,
): Schema[] {
  if (!allowsAnonymous(rule) || (feature !== null && needsCaller(feature))) return requirement(schemes);
  const unscoped = feature !== null && feature.firewall.predicates.every((p) => 'isNull' in p)
    && Object.keys(feature.masking).length === 0;
  return !handler && unscoped && blind(rule) ? [] : requirement(schemes, true);
}
