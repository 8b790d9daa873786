/**
 * Better Auth's emails (seed 002): magicLink and emailOtp end to end, each email read back from
 * where its transport put it: the dev outbox of Node (files), a local fake SES that verifies the
 * SigV4 signature of every request (`email.provider: "aws-ses"`), and Cloudflare's send_email
 * binding under miniflare (what it logs). Also GET /api/v1/system/email-status, the documented
 * alias paths (`/magic-link/send`, `/email-otp/verify-otp`), and 503 EMAIL_NOT_CONFIGURED when
 * the transport lacks a setting (Better Auth alone would answer success and send nothing).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Log, LogLevel } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, type Caller } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';
import { CLOUDFLARE, workerTarget } from '../helpers/worker.js';
import { startFakeSes, type FakeSes } from '../support/fake-ses.js';

const PLUGINS: [string, string] = [
  'defineAuth("better-auth", {',
  'defineAuth("better-auth", {\n      plugins: ["magicLink", "emailOtp"],',
];
const SES_CONFIG: [string, string] = [
  'export default defineConfig({',
  'export default defineConfig({\n  email: { provider: "aws-ses", from: "noreply@helpdesk.test", fromName: "Helpdesk | Accounts" },',
];
const AWS = {
  accessKeyId: 'AKIDTESTEXAMPLE',
  secretAccessKey: 'c2VjcmV0LXRlc3Qta2V5LWZvci1zaWd2NC0xMjM0NQ',
  region: 'us-east-2',
};

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Signs in by one-time code: asks for it, reads it from the email, verifies it on the documented alias path. */
async function otpSignIn(caller: Caller, email: string, inbox: () => Promise<Mail[]>): Promise<void> {
  const sent = await caller.api('POST', '/auth/v1/email-otp/send-verification-otp', { email, type: 'sign-in' });
  expect(sent.status).toBe(200);
  const mail = (await inbox()).filter((m) => m.to === email).at(-1)!;
  const otp = /is (\d{6})\./.exec(mail.text)![1];
  expect(mail.subject).toBe(`${otp} is your Helpdesk Test code`);
  const verified = await caller.api('POST', '/auth/v1/email-otp/verify-otp', { email, otp });
  expect(verified.status).toBe(200);
  expect((await caller.api('GET', '/auth/v1/get-session')).body.user.email).toBe(email);
}

describe('email on Node: the dev outbox', () => {
  let t: ConformanceTarget;
  const outbox = mkdtempSync(path.join(tmpdir(), 'qb-outbox-'));
  const inbox = async (): Promise<(Mail & { from: string; replyTo?: string })[]> =>
    readdirSync(outbox).sort().map((f) => JSON.parse(readFileSync(path.join(outbox, f), 'utf8')));
  beforeAll(async () => {
    t = await inProcessTarget(copyFixture('helpdesk', 'email-outbox', { config: [PLUGINS] }), 'better-sqlite3', true, {
      EMAIL_OUTBOX_DIR: outbox,
      APP_NAME: 'Helpdesk Test',
      APP_URL: 'http://localhost:5173/app',
      EMAIL_FROM: 'hello@helpdesk.test',
      EMAIL_FROM_NAME: 'Helpdesk',
    });
  }, 60_000);

  it('email-status: the outbox delivers nothing, so email is not configured', async () => {
    const res = await createCaller(t.fetch, t.baseURL).api('GET', '/api/v1/system/email-status');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ emailConfigured: false, transport: 'outbox', missing: [] });
  });

  it('magicLink: POST /auth/v1/magic-link/send writes the link; following it signs the user in and lands on APP_URL', async () => {
    const caller = createCaller(t.fetch, t.baseURL);
    const sent = await caller.api('POST', '/auth/v1/magic-link/send', {
      email: 'grace@helpdesk.test',
      callbackURL: 'http://localhost:5173/app',
    });
    expect(sent.status).toBe(200);
    const mail = (await inbox()).find((m) => m.to === 'grace@helpdesk.test')!;
    expect(mail).toMatchObject({
      subject: 'Sign in to Helpdesk Test',
      from: '"Helpdesk" <hello@helpdesk.test>',
      replyTo: 'hello@helpdesk.test',
    });
    const link = /(http\S+magic-link\/verify\S+)/.exec(mail.text)![1];
    expect(new URL(link).pathname).toBe('/auth/v1/magic-link/verify');
    const verified = await caller.api('GET', new URL(link).pathname + new URL(link).search);
    expect(verified.status).toBe(302);
    expect(verified.headers.get('location')).toBe('http://localhost:5173/app');
    const session = await caller.api('GET', '/auth/v1/get-session');
    expect(session.body.user.email).toBe('grace@helpdesk.test');
    const reused = await createCaller(t.fetch, t.baseURL).api('GET', new URL(link).pathname + new URL(link).search);
    expect(reused.headers.get('location')).toContain('error=');
  });

  it('emailOtp: the code from the outbox signs in through POST /auth/v1/email-otp/verify-otp; a wrong code is refused', async () => {
    const caller = createCaller(t.fetch, t.baseURL);
    await otpSignIn(caller, 'linus@helpdesk.test', inbox);
    const other = createCaller(t.fetch, t.baseURL);
    await other.api('POST', '/auth/v1/email-otp/send-verification-otp', {
      email: 'ken@helpdesk.test',
      type: 'sign-in',
    });
    const wrong = await other.api('POST', '/auth/v1/email-otp/verify-otp', {
      email: 'ken@helpdesk.test',
      otp: '000000',
    });
    expect(wrong.status).toBe(400);
    expect((await other.api('GET', '/auth/v1/get-session')).body).toBeNull();
  });

  it('the native Better Auth paths keep working next to the aliases', async () => {
    const caller = createCaller(t.fetch, t.baseURL);
    expect((await caller.api('POST', '/auth/v1/sign-in/magic-link', { email: 'ada@helpdesk.test' })).status).toBe(200);
    expect((await inbox()).some((m) => m.to === 'ada@helpdesk.test')).toBe(true);
  });
});

describe('email through SES (email.provider: "aws-ses"), against a fake SES that verifies SigV4', () => {
  let ses: FakeSes;
  let t: ConformanceTarget;
  let unconfigured: ConformanceTarget;
  beforeAll(async () => {
    ses = await startFakeSes(AWS);
    const root = copyFixture('helpdesk', 'email-ses', { config: [PLUGINS, SES_CONFIG] });
    t = await inProcessTarget(root, 'better-sqlite3', true, {
      AWS_ACCESS_KEY_ID: AWS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
      AWS_SES_REGION: AWS.region,
      AWS_SES_ENDPOINT: ses.url,
      APP_NAME: 'Helpdesk Test',
    });
    unconfigured = await inProcessTarget(
      copyFixture('helpdesk', 'email-ses-missing', { config: [PLUGINS, SES_CONFIG] }),
      'better-sqlite3',
      true,
      {},
    );
  }, 90_000);
  afterAll(async () => ses?.close());

  it('email-status says configured, and the OTP arrives signed, from the configured sender', async () => {
    const caller = createCaller(t.fetch, t.baseURL);
    expect((await caller.api('GET', '/api/v1/system/email-status')).body).toEqual({
      emailConfigured: true,
      transport: 'aws-ses',
      missing: [],
    });
    await otpSignIn(
      caller,
      'barbara@helpdesk.test',
      async () => ses.emails.map((e) => ({ to: e.to[0], subject: e.subject, text: e.text })),
    );
    const mail = ses.emails.at(-1)!;
    expect(mail).toMatchObject({
      from: '"Helpdesk | Accounts" <noreply@helpdesk.test>',
      to: ['barbara@helpdesk.test'],
      replyTo: ['noreply@helpdesk.test'],
    });
    expect(mail.html).toContain('<p>');
  });

  it('without the AWS settings: email-status lists them, and sending answers 503 EMAIL_NOT_CONFIGURED instead of pretending', async () => {
    const caller = createCaller(unconfigured.fetch, unconfigured.baseURL);
    const status = await caller.api('GET', '/api/v1/system/email-status');
    expect(status.body).toEqual({
      emailConfigured: false,
      transport: 'aws-ses',
      missing: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SES_REGION'],
    });
    const before = ses.emails.length;
    const res = await caller.api('POST', '/auth/v1/email-otp/send-verification-otp', {
      email: 'x@helpdesk.test',
      type: 'sign-in',
    });
    expect(res.status).toBe(503);
    const missing = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SES_REGION'];
    expect(res.body).toEqual({
      error: `Email is not configured (aws-ses): set ${missing.join(', ')}`,
      layer: 'configuration',
      code: 'EMAIL_NOT_CONFIGURED',
      details: { transport: 'aws-ses', missing },
      hint: 'Set the missing settings; GET /api/v1/system/email-status lists them.',
      message: `Email is not configured (aws-ses): set ${missing.join(', ')}`,
    });
    expect((await caller.api('POST', '/auth/v1/magic-link/send', { email: 'x@helpdesk.test' })).status).toBe(503);
    expect(ses.emails.length).toBe(before);
  });
});

/** Miniflare's logger, keeping what the send_email binding prints (the text part is written to a file it names). */
class CapturingLog extends Log {
  lines: string[] = [];
  constructor() {
    super(LogLevel.INFO);
  }
  override logWithLevel(_level: LogLevel, message: string): void {
    this.lines.push(message);
  }
}

describe('email on Workers: Cloudflare Email Sending (send_email binding)', () => {
  let t: ConformanceTarget;
  const log = new CapturingLog();
  beforeAll(async () => {
    const root = copyFixture('helpdesk', 'email-workers', { config: [...CLOUDFLARE, PLUGINS] });
    t = await workerTarget(root, {
      log,
      bindings: { APP_NAME: 'Helpdesk Test', EMAIL_FROM: 'noreply@helpdesk.test', EMAIL_FROM_NAME: 'Helpdesk' },
    });
  }, 120_000);
  afterAll(async () => t?.close());

  it('wrangler.toml declares the binding; email-status says configured; the OTP goes through the binding', async () => {
    const caller = createCaller(t.fetch, t.baseURL);
    expect((await caller.api('GET', '/api/v1/system/email-status')).body).toEqual({
      emailConfigured: true,
      transport: 'cloudflare',
      missing: [],
    });
    await otpSignIn(caller, 'mary@helpdesk.test', async () => {
      const sent = log.lines.filter((l) => l.includes('send_email binding called'));
      return sent.map((l) => ({
        to: /To: (\S+)/.exec(l)![1],
        subject: /Subject: (.+)/.exec(l)![1],
        text: readFileSync(/Text: (\S+)/.exec(l)![1], 'utf8'),
      }));
    });
    expect(log.lines.some((l) => l.includes('From: "Helpdesk" <noreply@helpdesk.test>'))).toBe(true);
  });
});
