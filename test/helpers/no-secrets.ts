/**
 * Secrets in server logs (issue #31 part 3): counts where each secret a suite created (session
 * tokens, cookie values, bearer tokens, API keys, passwords, ENCRYPTION_KEK, BETTER_AUTH_SECRET)
 * appears in what a server wrote, in the forms a log could carry it: as is, URL-encoded (a cookie
 * header) and JSON-escaped. A suite calls `expectNoSecrets(server.output(), secrets)` at its end
 * (in-process apps log to the test's own console: `captureConsole()`).
 */
import { format } from 'node:util';
import { expect } from 'vitest';

/** Each secret by name; values shorter than 8 characters are refused (they would match by chance). */
export type Secrets = Record<string, string | undefined>;

function forms(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** How many times each secret appears in `output` (names with 0 left out). */
export function secretLeaks(output: string, secrets: Secrets): Record<string, number> {
  const leaks: Record<string, number> = {};
  for (const [name, value] of Object.entries(secrets)) {
    if (value === undefined) continue;
    if (value.length < 8) throw new Error(`secret ${name} is too short to look for (${value.length} characters)`);
    const n = forms(value).reduce((sum, form) => sum + count(output, form), 0);
    if (n > 0) leaks[name] = n;
  }
  return leaks;
}

/** The session token inside a signed Better Auth cookie value (`<token>.<signature>`, URL-encoded or not). */
export function sessionToken(cookieValue: string): string {
  return decodeURIComponent(cookieValue).split('.')[0];
}

/** Fails with the count per secret and the first line that carries each. */
export function expectNoSecrets(output: string, secrets: Secrets): void {
  const leaks = secretLeaks(output, secrets);
  const lines = Object.keys(leaks).map((name) => {
    const line = output.split('\n').find((l) => forms(secrets[name]!).some((f) => l.includes(f))) ?? '';
    return `${name} ×${leaks[name]}: ${line.slice(0, 300)}`;
  });
  expect(lines, 'secrets in the server log').toEqual([]);
}

/** The cookies a caller holds (Better Auth's signed session cookie and the session token inside it), by `<label>.<cookie name>`. */
export function jarSecrets(label: string, jar: Map<string, string>): Secrets {
  const out: Secrets = {};
  for (const [name, value] of jar) {
    out[`${label}.${name}`] = value;
    if (name.endsWith('session_token')) out[`${label}.session token`] = sessionToken(value);
  }
  return out;
}

/** Everything console.* prints from now until `restore()` (still printed): the logs of apps served in-process. */
export function captureConsole(): { output(): string; restore(): void } {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      lines.push(format(...args));
      originals[i].apply(console, args);
    };
  });
  return {
    output: () => lines.join('\n'),
    restore: () =>
      methods.forEach((m, i) => {
        console[m] = originals[i];
      }),
  };
}
