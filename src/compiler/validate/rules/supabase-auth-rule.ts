/**
 * @module compiler/validate/rules/supabase-auth-rule
 * `defineAuth("supabase-auth")`: Supabase Auth owns users and sign-in, and this API verifies its
 * access tokens. Organizations are refused (membership and roles live in Better Auth's
 * organization plugin, which Supabase Auth does not have: scope features to their owner), as is
 * `auth.jwt` (Supabase's tokens are the bearer tokens), the Workers runtime and SQLite databases
 * (not built yet: it runs with supabase or neon on Node and Bun).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { organizationsEnabled } from '../../model/config.js';
import { notSupported } from '../capabilities.js';
import { configError, providerKind } from '../project.js';

export function supabaseAuthRule(project: LoadedProject): Diagnostic[] {
  if (providerKind(project.config, 'auth') !== 'supabase-auth') return [];
  const out: Diagnostic[] = [];
  const target = 'defineAuth("supabase-auth")';
  if (organizationsEnabled(project.config)) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('Organizations', target),
        'features.organizations',
        'Membership and roles live in Better Auth\'s organization plugin, which Supabase Auth does not have: scope features to their owner (q.scope("owner")), or use defineAuth("better-auth").',
      ),
    );
  }
  if (project.config.auth?.jwt !== undefined) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('`auth.jwt`', target),
        'auth.jwt',
        "Supabase Auth's access tokens are the bearer tokens: remove auth.jwt.",
      ),
    );
  }
  const database = providerKind(project.config, 'database');
  if (database && database !== 'supabase' && database !== 'neon') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(target, `the ${database} database`),
        'providers.auth',
        'Pair it with defineDatabase("supabase") (or "neon").',
      ),
    );
  }
  if (providerKind(project.config, 'runtime') === 'cloudflare') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(target, 'the cloudflare runtime'),
        'providers.auth',
        'Use defineRuntime("node") or defineRuntime("bun").',
      ),
    );
  }
  return out;
}
