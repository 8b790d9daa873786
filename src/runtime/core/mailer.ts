/**
 * @module quickback/mailer
 * The shape of an email transport (addons/email/email.ts builds them: Cloudflare Email Sending,
 * Amazon SES, the dev outbox) and the answer of `GET /api/v1/system/email-status`. In core so the
 * app layer reports on a mailer without importing the transports (nor SigV4).
 */

export type EmailTransport = 'cloudflare' | 'aws-ses' | 'outbox';

export interface EmailSettings {
  appName: string;
  appUrl?: string;
  from?: string;
  fromName?: string;
  replyTo?: string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  transport: EmailTransport;
  settings: EmailSettings;
  /** Settings the transport cannot send without; empty when it is ready. */
  missing: string[];
  send(email: OutgoingEmail): Promise<void>;
}

/** `GET /api/v1/system/email-status`: emails reach their recipients (the dev outbox does not deliver). */
export function emailStatus(
  mailer: Mailer | undefined,
): { emailConfigured: boolean; transport: EmailTransport | null; missing: string[] } {
  if (!mailer) return { emailConfigured: false, transport: null, missing: [] };
  return {
    emailConfigured: mailer.transport !== 'outbox' && mailer.missing.length === 0,
    transport: mailer.transport,
    missing: mailer.missing,
  };
}
