/**
 * @module emitters/better-auth/print/email
 * `src/auth/email.ts`: the app's email transport (`mailerFor`, also read by GET
 * /api/v1/system/email-status), the senders of the magicLink and emailOtp plugins, and a guard
 * plugin that answers 503 EMAIL_NOT_CONFIGURED on the sending routes while the transport lacks a
 * setting (Better Auth would otherwise log the failure and answer success).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, lines, runtimeImport } from '../../print-utils.js';

export const EMAIL_FILE = 'src/auth/email.ts';

/** Better Auth routes that send an email (magic link, one-time codes). */
const SENDING_PATHS = [
  '/sign-in/magic-link',
  '/email-otp/send-verification-otp',
  '/forget-password/email-otp',
  '/email-otp/request-password-reset',
  '/email-otp/request-email-change',
];

function transportLine(model: AppModel): string {
  switch (model.email?.transport) {
    case 'cloudflare':
      return '  return cloudflareMailer(bindings.EMAIL, settings);';
    case 'aws-ses':
      return '  return sesMailer(env, settings);';
    default:
      return '  return outboxMailer(env.EMAIL_OUTBOX_DIR ?? DEFAULT_OUTBOX_DIR, settings);';
  }
}

export function printEmail(model: AppModel): string {
  const email = model.email!;
  const workers = model.cloudflare !== undefined;
  const defaults = {
    appName: model.name,
    ...(email.from ? { from: email.from } : {}),
    ...(email.fromName ? { fromName: email.fromName } : {}),
  };
  const transportImport = { cloudflare: 'cloudflareMailer', 'aws-ses': 'sesMailer', outbox: '' }[email.transport];
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import type { BetterAuthPlugin } from "better-auth";',
      'import { APIError, createAuthMiddleware } from "better-auth/api";',
      runtimeImport([
        'emailSettings',
        'magicLinkEmail',
        'otpEmail',
        transportImport,
        'type Mailer',
        'apiError',
        email.transport === 'outbox' && 'DEFAULT_OUTBOX_DIR',
        email.transport === 'outbox' && 'outboxMailer',
      ]),
      importLine(workers ? ['Bindings', 'Env'] : ['Env'], '../env.js', true),
      '',
      `/** Where Better Auth's emails go (${email.transport}); APP_NAME, APP_URL, EMAIL_FROM, EMAIL_FROM_NAME and EMAIL_REPLY_TO shape them. */`,
      `export function mailerFor(env: Env${workers ? ', bindings: Bindings' : ''}): Mailer {`,
      `  const settings = emailSettings(env, ${JSON.stringify(defaults)});`,
      transportLine(model),
      '}',
      '',
      `const SENDING_PATHS = new Set(${JSON.stringify(SENDING_PATHS)});`,
      '',
      '/** Refuses the sending routes with 503 EMAIL_NOT_CONFIGURED (the standard error body) while the transport lacks a setting. */',
      'export function emailGuard(mailer: Mailer) {',
      '  return {',
      '    id: "quickback-email",',
      '    hooks: {',
      '      before: [{',
      '        matcher: (ctx: { path?: string }) => SENDING_PATHS.has(ctx.path ?? ""),',
      '        handler: createAuthMiddleware(async () => {',
      '          if (mailer.missing.length === 0) return;',
      '          const refusal = apiError("EMAIL_NOT_CONFIGURED", {',
      '            message: `Email is not configured (${mailer.transport}): set ${mailer.missing.join(", ")}`,',
      '            details: { transport: mailer.transport, missing: mailer.missing },',
      '            hint: "Set the missing settings; GET /api/v1/system/email-status lists them.",',
      '          });',
      '          // Better Auth sends this body as it is; `message` is what its clients read.',
      '          throw new APIError("SERVICE_UNAVAILABLE", { ...refusal.toBody(), message: refusal.message });',
      '        }),',
      '      }],',
      '    },',
      '  } satisfies BetterAuthPlugin;',
      '}',
      '',
      '/** magicLink: the link Better Auth made, to its recipient. */',
      'export const sendMagicLink = (mailer: Mailer) => async ({ email, url }: { email: string; url: string }) => {',
      '  await mailer.send(magicLinkEmail(mailer.settings, email, url));',
      '};',
      '',
      '/** emailOtp: the one-time code, worded for its purpose (sign-in, email verification, password reset). */',
      'export const sendVerificationOTP = (mailer: Mailer) => async ({ email, otp, type }: { email: string; otp: string; type: string }) => {',
      '  await mailer.send(otpEmail(mailer.settings, email, otp, type));',
      '};',
    ),
  );
}
