/**
 * @module compiler/validate/rules/email-rule
 * `email` (seed 002): Cloudflare Email Sending is a Workers binding, so `provider: "cloudflare"`
 * needs the cloudflare runtime (Node/Bun send through SES or write to the dev outbox); with
 * external auth the auth Worker sends Better Auth's emails, so the block has no effect here;
 * `from` must be an address.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { notSupported } from '../capabilities.js';
import { configError, providerKind } from '../project.js';
import { valueAtDotted } from '../util.js';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function emailRule(project: LoadedProject): Diagnostic[] {
  const email = valueAtDotted(project.config, 'email');
  if (email === undefined) return [];
  const out: Diagnostic[] = [];
  const runtime = providerKind(project.config, 'runtime');
  if (providerKind(project.config, 'auth') === 'external') {
    out.push(
      warning(
        'QB_WARN_OPTION_NO_EFFECT',
        'email has no effect with auth external: the auth Worker sends sign-in emails',
        {
          file: project.configFile,
          at: 'email',
          hint: "Configure email in the auth Worker's project, and remove it here.",
        },
      ),
    );
  }
  if (valueAtDotted(project.config, 'email.provider') === 'cloudflare' && runtime !== 'cloudflare') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(
          'Cloudflare Email Sending (email.provider: "cloudflare")',
          `the ${runtime ?? 'this'} runtime (it is a Workers binding)`,
        ),
        'email.provider',
        'Use email.provider: "aws-ses", or leave provider out: on Node and Bun emails are then written to the local outbox (EMAIL_OUTBOX_DIR).',
      ),
    );
  }
  const from = valueAtDotted(project.config, 'email.from');
  if (typeof from === 'string' && !ADDRESS.test(from)) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `email.from "${from}" is not an email address`,
        'email.from',
        'Write a bare address such as "noreply@yourdomain.com"; the display name goes in email.fromName.',
      ),
    );
  }
  return out;
}
