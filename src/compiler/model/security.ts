/**
 * @module compiler/model/security
 * The security headers of every response, computed once at compile time from `security`
 * (reference §2.4). Each header has a default; `false` drops one; `security: false` drops all.
 * CSP sources accept `@`-prefixed sentinels (`@self` → `'self'`) or wire keywords as written.
 */
import type { SecurityOptions } from '../../dsl/config.js';

const SENTINELS: Record<string, string> = {
  '@self': "'self'",
  '@none': "'none'",
  '@unsafe-inline': "'unsafe-inline'",
  '@unsafe-eval': "'unsafe-eval'",
  '@strict-dynamic': "'strict-dynamic'",
  '@data': 'data:',
  '@blob': 'blob:',
  '@https': 'https:',
};

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function cspValue(csp: Record<string, string[]>, trustedOrigins: string[]): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'frame-ancestors': ["'self'", ...trustedOrigins],
  };
  for (const [key, sources] of Object.entries(csp)) directives[kebab(key)] = sources.map((s) => SENTINELS[s] ?? s);
  return Object.entries(directives).map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

function hstsValue(hsts: NonNullable<Exclude<SecurityOptions['hsts'], false>>): string {
  const parts = [`max-age=${hsts.maxAge ?? 31536000}`];
  if (hsts.includeSubDomains ?? true) parts.push('includeSubDomains');
  if (hsts.preload ?? true) parts.push('preload');
  return parts.join('; ');
}

function permissionsValue(policy: Record<string, string[]>): string {
  return Object.entries(policy).map(([feature, origins]) =>
    `${kebab(feature)}=(${
      origins.map((o) => SENTINELS[o] === "'self'" ? 'self' : o === '*' ? '*' : `"${o}"`).join(' ')
    })`
  ).join(', ');
}

export function securityHeaders(
  security: SecurityOptions | false | undefined,
  trustedOrigins: string[],
): Record<string, string> {
  if (security === false) return {};
  const s = security ?? {};
  const headers: Record<string, string | false> = {
    'content-security-policy': s.csp === false ? false : cspValue(s.csp ?? {}, trustedOrigins),
    'cross-origin-embedder-policy': s.coep === false ? false : s.coep ?? 'require-corp',
    'cross-origin-opener-policy': s.coop === false ? false : s.coop ?? 'same-origin',
    'cross-origin-resource-policy': s.corp === false ? false : s.corp ?? 'same-origin',
    'permissions-policy': s.permissionsPolicy === false
      ? false
      : permissionsValue(s.permissionsPolicy ?? { geolocation: [], microphone: [], camera: [] }),
    'referrer-policy': s.referrerPolicy === false ? false : s.referrerPolicy ?? 'strict-origin-when-cross-origin',
    'strict-transport-security': s.hsts === false ? false : hstsValue(s.hsts ?? {}),
    'x-content-type-options': 'nosniff',
    'x-frame-options': s.frameOptions === false ? false : s.frameOptions ?? 'SAMEORIGIN',
  };
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== false).sort((
      [a],
      [b],
    ) => (a < b ? -1 : 1)),
  );
}
