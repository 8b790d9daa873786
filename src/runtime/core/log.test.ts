import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test/helpers/server.js';
import { betterAuthLogger, describeError, log, redact, redactText } from './log.js';

const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62]).join('');
const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 52]).join('');
const hex = () => randomBytes(32).toString('hex');

/** Everything the console received while `run` ran. */
function captured(run: () => void): string {
  const lines: string[] = [];
  const spies = (['error', 'warn', 'log', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args) => {
      lines.push(args.join(' '));
    })
  );
  try {
    run();
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  return lines.join('\n');
}

afterEach(() => {
  delete process.env.QUICKBACK_LOG_STACKS;
});

describe('redactText: credentials in free text', () => {
  it('replaces the formats we issue and keeps what makes a line useful', () => {
    const token = alnum(32);
    const cookie = `${token}.${randomBytes(32).toString('base64')}`;
    const apiKey = letters(64);
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${alnum(20)}.${randomBytes(32).toString('base64url')}`;
    const kek = hex();
    const text = [
      `Bearer ${jwt}`,
      `cookie: better-auth.session_token=${encodeURIComponent(cookie)}`,
      `x-api-key ${apiKey}`,
      `GET /api/v1/guests?view=all&api_key=${apiKey}`,
      `params: ${token}`,
      `{"password":"correct horse \\"battery\\"","email":"a@b.co"}`,
      `KEK ${kek.toUpperCase()} and ${kek}`,
    ].join('\n');
    const out = redactText(text);
    for (
      const secret of [token, cookie, encodeURIComponent(cookie), apiKey, jwt, kek, kek.toUpperCase(), 'correct horse']
    ) expect(out).not.toContain(secret);
    expect(out).toContain('GET /api/v1/guests?view=all&api_key=[redacted]');
    expect(out).toContain('"email":"a@b.co"');
  });

  it('replaces the password of a connection URL, keeping user and host', () => {
    expect(
      redactText(
        'connect failed: postgres://quickback_api:s3cr3t-pw@db.example.com:5432/app and redis://:hunter2@127.0.0.1:6379',
      ),
    )
      .toBe(
        'connect failed: postgres://quickback_api:[redacted]@db.example.com:5432/app and redis://:[redacted]@127.0.0.1:6379',
      );
  });

  it('keeps request ids, record ids, codes, routes and addresses', () => {
    const line =
      'GET /api/v1/tickets/tck_550e8400e29b41d4a716446655440000 503 DATABASE_UNAVAILABLE (request 73e68534-a48d-430a-900d-e3e5cd9ce82b): connect ECONNREFUSED 127.0.0.1:5432';
    expect(redactText(line)).toBe(line);
  });
});

describe('redact: values under secret keys', () => {
  it('replaces token, password, cookie, authorization, apiKey, secret, kek and query params at any depth', () => {
    const value = {
      user: { email: 'a@b.co', password: 'hunter2-hunter2' },
      headers: { authorization: 'x', Cookie: 'y', 'x-api-key': 'z' },
      session: { token: 't', expiresAt: 1 },
      BETTER_AUTH_SECRET: 's',
      ENCRYPTION_KEK: 'k',
      params: ['p'],
    };
    expect(redact(value)).toEqual({
      user: { email: 'a@b.co', password: '[redacted]' },
      headers: { authorization: '[redacted]', Cookie: '[redacted]', 'x-api-key': '[redacted]' },
      session: { token: '[redacted]', expiresAt: 1 },
      BETTER_AUTH_SECRET: '[redacted]',
      ENCRYPTION_KEK: '[redacted]',
      params: '[redacted]',
    });
  });
});

describe('describeError: database errors without their parameters', () => {
  it('a real Drizzle query error of a session lookup (PostgreSQL refusing): name, SQL, cause and code; no token, no stack', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/app` });
    const session = pgTable('session', { id: text('id'), token: text('token') });
    const token = alnum(32);
    const err = await drizzle(pool).select().from(session).where(eq(session.token, token)).then(
      () => undefined,
      (e: unknown) => e,
    );
    await pool.end();
    expect(String((err as Error).message)).toContain(token); // what Better Auth's own logger printed
    const line = captured(() => log.error('GET /auth/v1/get-session failed', err));
    expect(line).not.toContain(token);
    expect(line).toMatch(
      /^\[quickback\] GET \/auth\/v1\/get-session failed DrizzleQueryError: Failed query: select .* from "session" where "session"."token" = \$1 <- Error: connect ECONNREFUSED 127\.0\.0\.1:\d+ \[ECONNREFUSED\]$/,
    );
    expect(line).not.toMatch(/\n\s+at /);
    process.env.QUICKBACK_LOG_STACKS = '1';
    const debug = captured(() => log.error('failed', err));
    expect(debug).toMatch(/\n\s+at /);
    expect(debug).not.toContain(token);
  });

  it('PostgreSQL details and API errors: message and code only', () => {
    const pgErr = Object.assign(new Error('duplicate key value violates unique constraint "user_email_key"'), {
      code: '23505',
      detail: 'Key (email)=(a@b.co) already exists.',
      parameters: ['secret'],
    });
    expect(describeError(pgErr)).toBe('Error: duplicate key value violates unique constraint "user_email_key" [23505]');
  });
});

describe("betterAuthLogger: Better Auth's messages and arguments through the same lines", () => {
  it('errors and warnings are written, redacted; info and debug only when debugging', () => {
    const token = alnum(32);
    const err = Object.assign(new Error(`Failed query: select * from session where token = $1\nparams: ${token}`), {
      query: 'q',
      params: [token],
    });
    const logger = betterAuthLogger();
    expect(logger.level).toBe('info');
    const out = captured(() => {
      logger.log('error', 'INTERNAL_SERVER_ERROR', err);
      logger.log('warn', 'Invalid password', { password: 'hunter2-hunter2' });
      logger.log('info', 'quiet');
      logger.log('success', 'quiet');
    });
    expect(out).toBe(
      '[quickback] better-auth: INTERNAL_SERVER_ERROR Error: Failed query: select * from session where token = $1\n[quickback] better-auth: Invalid password {"password":"[redacted]"}',
    );
    expect(captured(() => betterAuthLogger(true).log('debug', 'loud', { cookie: token }))).toBe(
      '[quickback] better-auth: loud {"cookie":"[redacted]"}',
    );
  });
});
