/**
 * @module quickback/text-input
 * Text that no database stores as sent: NUL (U+0000; PostgreSQL's text and jsonb refuse it, C
 * strings end at it) and lone surrogates (a UTF-16 half without its pair; not a character, so UTF-8
 * cannot encode it and drivers fail or swap in U+FFFD). Checked once on the way in, before any
 * driver sees it, so every database answers the same 400 VALIDATION_FAILED naming the field: the
 * path segments and query parameters of /api requests (here), and every string and key of a JSON
 * body, nested too (`readJsonObject`, and Better Auth's bodies through `storableAuthBody`).
 */
import type { MiddlewareHandler } from 'hono';
import { apiError, type ApiError } from './errors.js';

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorable(text: string): string | undefined {
  if (NUL.test(text)) return 'contains a NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired surrogate (U+D800–U+DFFF), which is not valid Unicode';
  return undefined;
}

function refusal(field: string, reason: string): ApiError {
  return apiError('VALIDATION_FAILED', {
    details: { fields: { [field]: reason } },
    hint: 'Remove the NUL character or unpaired surrogate from the value.',
  });
}

/** The first string (value or key) of a parsed JSON value that cannot be stored, as [path, reason]. */
function findUnstorable(value: unknown, path: string): [string, string] | undefined {
  if (typeof value === 'string') {
    const reason = unstorable(value);
    return reason ? [path || '(body)', reason] : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const reason = unstorable(key);
    if (reason) return [at, `has a name that ${reason}`];
    const found = findUnstorable(child, at);
    if (found) return found;
  }
  return undefined;
}

/** Throws 400 VALIDATION_FAILED naming the first string of the body that cannot be stored (e.g. `records.0.title`). */
export function assertStorable(body: unknown): void {
  const found = findUnstorable(body, '');
  if (found) throw refusal(found[0], found[1]);
}

function decode(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw apiError('VALIDATION_FAILED', {
      details: { fields: { [field]: 'is not valid percent-encoded UTF-8' } },
      hint: 'Percent-encode the value as UTF-8 (encodeURIComponent).',
    });
  }
}

/** The URL of an /api request: each path segment and each query parameter (name and value), decoded. */
export const storableUrl: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  const queryAt = url.indexOf('?');
  const pathname = new URL(url).pathname;
  for (const segment of pathname.split('/')) {
    const reason = unstorable(decode(segment, 'path'));
    if (reason) throw refusal('path', reason);
  }
  if (queryAt >= 0) {
    for (const pair of url.slice(queryAt + 1).split('#')[0].split('&')) {
      const eq = pair.indexOf('=');
      const rawName = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
      const name = decode(rawName, rawName.split('.')[0] || '(query)');
      const field = name.split('.')[0] || '(query)';
      const reason = unstorable(name)
        ?? unstorable(decode((eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' '), field));
      if (reason) throw refusal(field, reason);
    }
  }
  await next();
};

/** Better Auth's JSON bodies: the same check, on a copy (Better Auth reads the request itself). */
export const storableAuthBody: MiddlewareHandler = async (c, next) => {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (c.req.raw.body !== null && /^application\/([\w.+-]+\+)?json\b/.test(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await c.req.raw.clone().text());
    } catch {
      parsed = undefined; // Better Auth answers malformed JSON itself
    }
    assertStorable(parsed);
  }
  await next();
};
