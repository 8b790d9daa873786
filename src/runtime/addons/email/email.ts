/**
 * @module quickback/email
 * Better Auth's emails (magic links, one-time codes): the settings they read from the environment
 * (APP_NAME, APP_URL, EMAIL_FROM, EMAIL_FROM_NAME, EMAIL_REPLY_TO), the two messages, and the
 * transports that carry them: Cloudflare Email Sending (the `send_email` binding) and Amazon SES
 * (SigV4 over Web Crypto). The dev outbox of Node and Bun lives in email-outbox.ts.
 */
import { sendSesEmail } from '../../crypto/sigv4.js';
import type { EmailSettings, EmailTransport, Mailer, OutgoingEmail } from '../../core/mailer.js';

export {
  emailStatus,
  type EmailSettings,
  type EmailTransport,
  type Mailer,
  type OutgoingEmail,
} from '../../core/mailer.js';

/** The structural slice of Cloudflare's `SendEmail` binding (its builder form). */
export interface SendEmailBinding {
  send(
    message: {
      from: string | { name: string; email: string };
      to: string;
      subject: string;
      replyTo?: string;
      text: string;
      html: string;
    },
  ): Promise<unknown>;
}

type EnvLike = Record<string, string | undefined>;

/** The environment wins over the config's defaults (`name`, `email.from`, `email.fromName`); unset strings count as missing. */
export function emailSettings(
  env: EnvLike,
  defaults: { appName: string; from?: string; fromName?: string },
): EmailSettings {
  const pick = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const from = pick(env.EMAIL_FROM) ?? defaults.from;
  const fromName = pick(env.EMAIL_FROM_NAME) ?? defaults.fromName;
  const appUrl = pick(env.APP_URL) ?? pick(env.BETTER_AUTH_URL);
  const replyTo = pick(env.EMAIL_REPLY_TO) ?? from;
  return {
    appName: pick(env.APP_NAME) ?? defaults.appName,
    ...(appUrl ? { appUrl } : {}),
    ...(from ? { from } : {}),
    ...(fromName ? { fromName } : {}),
    ...(replyTo ? { replyTo } : {}),
  };
}

/** `"Name" <address>`, with an RFC 2047 encoded name when it is not plain ASCII. */
export function fromHeader(settings: EmailSettings): string {
  const address = settings.from ?? '';
  const name = settings.fromName;
  if (!name) return address;
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)) return `"${name}" <${address}>`;
  const bytes = new TextEncoder().encode(name);
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?= <${address}>`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function message(
  to: string,
  subject: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): OutgoingEmail {
  const text = [...paragraphs, ...(action ? [action.url] : [])].join('\n\n');
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(action ? [`<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`] : []),
  ].join('\n');
  return { to, subject, text, html };
}

/** The magic-link email (`magicLink`): the link Better Auth made, verified at /auth/v1/magic-link/verify. */
export function magicLinkEmail(settings: EmailSettings, to: string, url: string): OutgoingEmail {
  return message(to, `Sign in to ${settings.appName}`, [
    `Use the link below to sign in to ${settings.appName}. It works once and expires in a few minutes.`,
    'If you did not ask for it, you can ignore this email.',
  ], { label: `Sign in to ${settings.appName}`, url });
}

const OTP_PURPOSE: Record<string, string> = {
  'sign-in': 'sign in to',
  'email-verification': 'verify your email address for',
  'forget-password': 'reset your password for',
  'change-email': 'change your email address for',
};

/** The one-time-code email (`emailOtp`), worded for its purpose. */
export function otpEmail(settings: EmailSettings, to: string, otp: string, type: string): OutgoingEmail {
  const purpose = OTP_PURPOSE[type] ?? 'continue with';
  return message(to, `${otp} is your ${settings.appName} code`, [
    `Your code to ${purpose} ${settings.appName} is ${otp}.`,
    'It works once and expires in a few minutes. If you did not ask for it, you can ignore this email.',
  ]);
}

function notReady(transport: EmailTransport, missing: string[]): Error {
  return new Error(`Email is not configured (${transport}): set ${missing.join(', ')}`);
}

/** Cloudflare Email Sending through the `send_email` binding (the Workers default). */
export function cloudflareMailer(
  binding: SendEmailBinding | undefined,
  settings: EmailSettings,
  bindingName = 'EMAIL',
): Mailer {
  const missing = [
    ...(binding ? [] : [`${bindingName} (send_email binding)`]),
    ...(settings.from ? [] : ['EMAIL_FROM']),
  ];
  return {
    transport: 'cloudflare',
    settings,
    missing,
    async send(email) {
      if (!binding || missing.length > 0) throw notReady('cloudflare', missing);
      const from = settings.fromName ? { name: settings.fromName, email: settings.from! } : settings.from!;
      await binding.send({
        from,
        to: email.to,
        subject: email.subject,
        ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
        text: email.text,
        html: email.html,
      });
    },
  };
}

const SES_REQUIRED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SES_REGION', 'EMAIL_FROM'];

/** Amazon SES v2 (`email.provider: "aws-ses"`); AWS_SES_ENDPOINT points it at another SES-compatible endpoint. */
export function sesMailer(env: EnvLike, settings: EmailSettings): Mailer {
  const missing = SES_REQUIRED.filter((key) => (key === 'EMAIL_FROM' ? !settings.from : !env[key]));
  return {
    transport: 'aws-ses',
    settings,
    missing,
    async send(email) {
      if (missing.length > 0) throw notReady('aws-ses', missing);
      await sendSesEmail(
        {
          from: fromHeader(settings),
          to: [email.to],
          ...(settings.replyTo ? { replyTo: [settings.replyTo] } : {}),
          subject: email.subject,
          text: email.text,
          html: email.html,
        },
        {
          region: env.AWS_SES_REGION!,
          accessKeyId: env.AWS_ACCESS_KEY_ID!,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          ...(env.AWS_SES_ENDPOINT ? { endpoint: env.AWS_SES_ENDPOINT } : {}),
        },
      );
    },
  };
}
