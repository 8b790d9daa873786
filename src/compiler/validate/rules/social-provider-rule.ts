/**
 * @module compiler/validate/rules/social-provider-rule
 * Social login secrets never live in the config: a literal `clientSecret` would be compiled
 * into the app and committed. They come from env (GOOGLE_CLIENT_SECRET, GITHUB_CLIENT_SECRET, ...).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { configError } from '../project.js';
import { entriesOf, isRecord, valueAtDotted } from '../util.js';

export function socialProviderRule(project: LoadedProject): Diagnostic[] {
  const providers = valueAtDotted(project.config, 'providers.auth.options.socialProviders');
  const out: Diagnostic[] = [];
  for (const [id, options] of entriesOf(providers)) {
    if (!isRecord(options) || options.clientSecret === undefined) continue;
    const env = `${id.toUpperCase()}_CLIENT_SECRET`;
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `\`clientSecret\` must not be written in the config (social provider "${id}")`,
        `providers.auth.socialProviders.${id}.clientSecret`,
        `Remove it and set the ${env} environment variable instead (and ${id.toUpperCase()}_CLIENT_ID).`,
      ),
    );
  }
  return out;
}
