/**
 * @module compiler/validate/rules/external-auth-rule
 * `defineAuth("external", { service, binding?, basePath?, proxy? })`: the auth Worker is reached
 * through a Cloudflare service binding, so it needs the cloudflare runtime and the name of that
 * Worker; `basePath` is a path like "/api/auth". The app then has no auth database, so the D1
 * options that configure one warn that they have no effect.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { notSupported } from '../capabilities.js';
import { configError, providerKind } from '../project.js';
import { valueAtDotted } from '../util.js';

const AUTH_DATABASE_OPTIONS = ['splitDatabases', 'authBinding', 'authDatabaseId', 'experimentalRemote.auth'];
const EXAMPLE = 'defineAuth("external", { service: "my-auth-worker" })';

function basePathProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return 'must start with "/"';
  if (value.length > 1 && value.endsWith('/')) return 'must not end with "/"';
  if (/[\s?#]/.test(value)) return 'must be a plain path (no spaces, query or fragment)';
  return undefined;
}

export function externalAuthRule(project: LoadedProject): Diagnostic[] {
  if (providerKind(project.config, 'auth') !== 'external') return [];
  const out: Diagnostic[] = [];
  const runtime = providerKind(project.config, 'runtime');
  if (runtime !== undefined && runtime !== 'cloudflare') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('External auth (a Cloudflare service binding)', `the ${runtime} runtime`),
        'providers.auth',
        'A service binding exists only between Workers: use defineRuntime("cloudflare"), or defineAuth("better-auth") on this runtime.',
      ),
    );
  }
  const option = (name: string) => valueAtDotted(project.config, `providers.auth.options.${name}`);
  const service = option('service');
  if (service === undefined || service === '') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_MISSING_OPTION',
        'External auth needs the name of the auth Worker (`service`)',
        'providers.auth.service',
        `Example: ${EXAMPLE}`,
      ),
    );
  }
  const basePath = option('basePath');
  const problem = typeof basePath === 'string' ? basePathProblem(basePath) : undefined;
  if (problem) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `basePath "${basePath}" ${problem}`,
        'providers.auth.basePath',
        'Give the path the auth Worker serves Better Auth at, e.g. "/auth/v1" (a Quickback app) or "/api/auth".',
      ),
    );
  }
  if (providerKind(project.config, 'database') === 'cloudflare-d1') {
    for (const name of AUTH_DATABASE_OPTIONS.filter((o) =>
      valueAtDotted(project.config, `providers.database.options.${o}`) !== undefined
    )) {
      out.push(
        warning(
          'QB_WARN_OPTION_NO_EFFECT',
          `\`${name}\` has no effect: with external auth this app has no auth database (the auth Worker owns users and sessions)`,
          {
            file: project.configFile,
            at: `providers.database.${name}`,
            hint: 'Remove it; configure the auth database on the auth Worker.',
          },
        ),
      );
    }
  }
  return out;
}
