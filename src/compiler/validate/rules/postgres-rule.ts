/**
 * @module compiler/validate/rules/postgres-rule
 * PostgreSQL targets (neon, supabase; issue #11): one database holds everything, so
 * `splitDatabases: true` is an error. On Workers, neon runs over Neon's HTTP or WebSocket driver;
 * supabase there is not built (it needs TCP sockets).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { notSupported } from '../capabilities.js';
import { configError, providerKind } from '../project.js';
import { valueAtDotted } from '../util.js';

const POSTGRES = ['neon', 'supabase'];

export function postgresRule(project: LoadedProject): Diagnostic[] {
  const database = providerKind(project.config, 'database');
  if (!database || !POSTGRES.includes(database)) return [];
  const out: Diagnostic[] = [];
  if (valueAtDotted(project.config, 'providers.database.options.splitDatabases') === true) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `\`splitDatabases: true\` does not apply to ${database}: one PostgreSQL database holds the auth and feature tables`,
        'providers.database.splitDatabases',
        "Remove it: the RLS helpers read Better Auth's members and sessions, so they must live in the same database.",
      ),
    );
  }
  if (database === 'supabase' && providerKind(project.config, 'runtime') === 'cloudflare') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('The supabase database', 'the cloudflare runtime'),
        'providers.runtime',
        'Supabase speaks PostgreSQL over TCP only (no WebSocket proxy, which Workers need here): use defineRuntime("node") or "bun", or neon on Workers.',
      ),
    );
  }
  return out;
}
