import { describe, expect, it } from 'vitest';
import {
  cloudflareMailer,
  emailSettings,
  emailStatus,
  fromHeader,
  magicLinkEmail,
  otpEmail,
  sesMailer,
  type SendEmailBinding,
} from './email.js';

describe('email settings, messages and transports', () => {
  it('the environment wins over the config defaults; blank values count as unset; reply-to defaults to the sender', () => {
    const defaults = { appName: 'helpdesk', from: 'config@example.com', fromName: 'Config' };
    expect(emailSettings({}, defaults)).toEqual({
      appName: 'helpdesk',
      from: 'config@example.com',
      fromName: 'Config',
      replyTo: 'config@example.com',
    });
    expect(
      emailSettings({
        APP_NAME: 'Desk',
        APP_URL: 'https://app.example.com',
        EMAIL_FROM: 'env@example.com',
        EMAIL_FROM_NAME: ' ',
        EMAIL_REPLY_TO: 'help@example.com',
      }, defaults),
    )
      .toEqual({
        appName: 'Desk',
        appUrl: 'https://app.example.com',
        from: 'env@example.com',
        fromName: 'Config',
        replyTo: 'help@example.com',
      });
    expect(emailSettings({ BETTER_AUTH_URL: 'https://api.example.com' }, { appName: 'x' })).toEqual({
      appName: 'x',
      appUrl: 'https://api.example.com',
    });
  });

  it('quotes ASCII display names and encodes the others (RFC 2047)', () => {
    expect(fromHeader({ appName: 'x', from: 'a@example.com' })).toBe('a@example.com');
    expect(fromHeader({ appName: 'x', from: 'a@example.com', fromName: 'Your App | Accounts' })).toBe(
      '"Your App | Accounts" <a@example.com>',
    );
    expect(fromHeader({ appName: 'x', from: 'a@example.com', fromName: 'Zoë "Z"' })).toBe(
      `=?UTF-8?B?${Buffer.from('Zoë "Z"').toString('base64')}?= <a@example.com>`,
    );
  });

  it('words each email for its purpose and escapes HTML', () => {
    const settings = { appName: 'A<b>' };
    const link = magicLinkEmail(
      settings,
      'u@example.com',
      'https://api.example.com/auth/v1/magic-link/verify?token=t&callbackURL=%2F',
    );
    expect(link.subject).toBe('Sign in to A<b>');
    expect(link.text).toContain('https://api.example.com/auth/v1/magic-link/verify?token=t&callbackURL=%2F');
    expect(link.html).toContain('href="https://api.example.com/auth/v1/magic-link/verify?token=t&#38;callbackURL=%2F"');
    expect(link.html).not.toContain('<b>');
    expect(otpEmail(settings, 'u@example.com', '123456', 'forget-password').text).toContain(
      'reset your password for A<b> is 123456.',
    );
    expect(otpEmail(settings, 'u@example.com', '123456', 'email-verification').subject).toBe(
      '123456 is your A<b> code',
    );
  });

  it('a transport missing a setting says which, refuses to send, and email-status reports it', async () => {
    const noBinding = cloudflareMailer(undefined, { appName: 'x' });
    expect(noBinding.missing).toEqual(['EMAIL (send_email binding)', 'EMAIL_FROM']);
    await expect(noBinding.send({ to: 'u@example.com', subject: 's', text: 't', html: 'h' })).rejects.toThrow(
      /EMAIL_FROM/,
    );
    expect(emailStatus(noBinding)).toEqual({
      emailConfigured: false,
      transport: 'cloudflare',
      missing: noBinding.missing,
    });
    expect(sesMailer({ AWS_SES_REGION: 'us-east-2' }, { appName: 'x', from: 'a@example.com' }).missing).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    expect(emailStatus(undefined)).toEqual({ emailConfigured: false, transport: null, missing: [] });
  });

  it('hands the binding a builder message with the display name and reply-to', async () => {
    const sent: unknown[] = [];
    const binding: SendEmailBinding = {
      send: async (m) => {
        sent.push(m);
      },
    };
    const mailer = cloudflareMailer(binding, {
      appName: 'x',
      from: 'a@example.com',
      fromName: 'App',
      replyTo: 'r@example.com',
    });
    await mailer.send({ to: 'u@example.com', subject: 's', text: 't', html: 'h' });
    expect(sent).toEqual([{
      from: { name: 'App', email: 'a@example.com' },
      to: 'u@example.com',
      subject: 's',
      replyTo: 'r@example.com',
      text: 't',
      html: 'h',
    }]);
    expect(emailStatus(mailer).emailConfigured).toBe(true);
  });
});
