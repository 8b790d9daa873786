/**
 * @module quickback/log
 * The app's one logger (issue #31 part 3): every line the runtime, the generated modules and
 * Better Auth (its `logger` option: `betterAuthLogger`) write goes through here, one line per
 * event, `[quickback] <message> <details>`. Nothing secret gets through: values under secret keys
 * (token, password, cookie, authorization, apiKey, secret, kek, ...) are replaced, text that looks
 * like a credential we issue (bearer values, JWTs, session tokens and their signed cookies, API
 * keys, hex keys) is replaced, and errors are reduced to name, code and message with the query
 * parameters cut off (Drizzle's "Failed query: ...\nparams: <values>" carries a session token when
 * the session lookup fails). Stack traces only with QUICKBACK_LOG_STACKS=1.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const REDACTED = '[redacted]';

/** Keys whose values are never printed (compared without case, `-` and `_`). */
const SECRET_KEY =
  /token|passw|secret|cookie|authoriz|apikey|^key$|kek|credential|privatekey|signature|^params$|^parameters$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Names of secrets in `name=value` (cookies, query strings) and `"name":"value"` (JSON text). */
const SECRET_NAME = '(?:token|session|secret|passw|api_?key|key|kek|cookie|authoriz)';
const NAME_VALUE = new RegExp(`([\\w.-]*${SECRET_NAME}[\\w.-]*=)[^\\s"',;&]+`, 'gi');
const JSON_VALUE = new RegExp(`("[\\w.-]*${SECRET_NAME}[\\w.-]*"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*`, 'gi');

/** A run of token characters long enough to be a credential: checked by `looksIssued`. */
const WORD = /[A-Za-z0-9_+=-]{20,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Record ids of `generateId: "prefixed"` (`tck_` + 32 hex digits) and bare 32-digit hex ids: kept. */
const RECORD_ID = /^([a-z]{1,12}_)?[0-9a-f]{32}$/;

/**
 * Session tokens (32 letters and digits), API keys (64 letters), cookie signatures (base64), hex
 * keys (ENCRYPTION_KEK, BETTER_AUTH_SECRET): letters with digits, or both cases over 32 characters.
 */
function looksIssued(word: string): boolean {
  if (UUID.test(word) || RECORD_ID.test(word)) return false;
  const digit = /\d/.test(word);
  const letter = /[A-Za-z]/.test(word);
  return (digit && letter) || (word.length >= 32 && /[a-z]/.test(word) && /[A-Z]/.test(word));
}

/** Replaces credentials inside free text: `Bearer …`, URL passwords, `name=value` of secret names, JWTs, issued tokens. */
export function redactText(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`)
    .replace(/(\/\/[^\s:/@]*:)[^\s@/]+@/g, `$1${REDACTED}@`)
    .replace(NAME_VALUE, `$1${REDACTED}`)
    .replace(JSON_VALUE, `$1${REDACTED}`)
    .replace(/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, REDACTED)
    .replace(WORD, (word) => (looksIssued(word) ? REDACTED : word));
}

function stacks(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.QUICKBACK_LOG_STACKS === '1' || env?.QUICKBACK_LOG_STACKS === 'true';
}

/** An error as `Name: message [code]` (its cause chain after `<-`); database messages lose their parameters. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (typeof current !== 'object') {
      parts.push(redactText(String(current)));
      break;
    }
    const e = current as { name?: unknown; message?: unknown; code?: unknown; status?: unknown; cause?: unknown };
    const message = String(e.message ?? '').split(/\n\s*params:/)[0].replace(/\s+/g, ' ').trim().slice(0, 500);
    const code = typeof e.code === 'string' || typeof e.code === 'number' ? ` [${e.code}]` : '';
    const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : (current.constructor?.name ?? 'Error');
    parts.push(`${name}: ${redactText(message)}${code}`);
    current = e.cause;
  }
  const stack = stacks() && err instanceof Error && err.stack
    ? `\n${redactText(err.stack.split('\n').slice(1).join('\n'))}`
    : '';
  return parts.join(' <- ') + stack;
}

/** A copy of `value` safe to print: secret keys replaced, strings redacted, errors described. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return describeError(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= 4) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isSecretKey(key) ? REDACTED : redact(v, depth + 1);
  return out;
}

function render(detail: unknown): string {
  const safe = redact(detail);
  return typeof safe === 'string' ? safe : JSON.stringify(safe) ?? String(safe);
}

/** Writes one line; `details` are errors, objects or text, each made safe first. */
export function write(level: LogLevel, message: string, details: unknown[] = []): void {
  const line = ['[quickback]', redactText(message), ...details.map(render)].join(' ');
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else if (level === 'info') console.log(line);
  else console.debug(line);
}

export const log = {
  error: (message: string, ...details: unknown[]) => write('error', message, details),
  warn: (message: string, ...details: unknown[]) => write('warn', message, details),
  info: (message: string, ...details: unknown[]) => write('info', message, details),
  debug: (message: string, ...details: unknown[]) => write('debug', message, details),
};

/**
 * Better Auth's `logger` option: its messages and their arguments (errors with query parameters,
 * API errors) through `write`. Level `info`, so Better Auth's own fallback to the console (for an
 * error without an endpoint context, at levels error, warn and debug) is never taken.
 */
export function betterAuthLogger(debug = false) {
  return {
    level: debug ? ('debug' as const) : ('info' as const),
    log(level: LogLevel | 'success', message: string, ...args: unknown[]) {
      if (!debug && (level === 'info' || level === 'success' || level === 'debug')) return;
      write(level === 'success' ? 'info' : level, `better-auth: ${message}`, args);
    },
  };
}
