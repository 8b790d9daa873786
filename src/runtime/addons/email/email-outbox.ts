/**
 * @module quickback/email-outbox
 * The dev transport of Node and Bun: every email becomes one JSON file in a local folder
 * (EMAIL_OUTBOX_DIR, default `outbox/`) and one log line saying where, so nothing is "sent"
 * silently into nothing. It delivers nothing: GET /api/v1/system/email-status says so.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fromHeader, type EmailSettings, type Mailer } from './email.js';
import { log } from '../../core/log.js';

export const DEFAULT_OUTBOX_DIR = 'outbox';

/** One email in the outbox, as written (and as tests read it back). */
export interface OutboxEmail {
  id: string;
  date: string;
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
}

export function outboxMailer(dir: string, settings: EmailSettings): Mailer {
  const folder = resolve(dir);
  const sender = { ...settings, from: settings.from ?? 'noreply@localhost' };
  return {
    transport: 'outbox',
    settings,
    missing: [],
    async send(email) {
      const date = new Date().toISOString();
      const id = `${date.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
      const entry: OutboxEmail = {
        id,
        date,
        from: fromHeader(sender),
        to: email.to,
        ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
        subject: email.subject,
        text: email.text,
        html: email.html,
      };
      await mkdir(folder, { recursive: true });
      const file = join(folder, `${id}.json`);
      await writeFile(file, `${JSON.stringify(entry, null, 2)}\n`);
      log.info(
        `email to ${email.to} ("${email.subject}") written to ${file} (dev outbox; set email.provider: "aws-ses" to deliver)`,
      );
    },
  };
}
