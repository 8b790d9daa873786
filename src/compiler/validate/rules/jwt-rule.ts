/**
 * @module compiler/validate/rules/jwt-rule
 * `auth.jwt.revocationCheck: "kv"` needs a store every instance of the API reads: Workers KV on
 * Cloudflare (`defineStorage("kv")` or the auth provider's `kvId`), the storage provider on Node
 * and Bun (`defineStorage("redis" | "kv")`, shared; `defineStorage("memory")`: one process). With
 * external auth the bans happen in the auth Worker, which this API cannot hear, so it is refused
 * there. Which store fits which runtime is the storage rule's.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { notSupported } from '../capabilities.js';
import { configError, providerKind } from '../project.js';
import { valueAtDotted } from '../util.js';

const AT = 'auth.jwt.revocationCheck';

export function jwtRule(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const runtime = providerKind(project.config, 'runtime');
  const storage = providerKind(project.config, 'storage');
  const revocation = valueAtDotted(project.config, AT) === 'kv';
  if (!revocation) return out;
  if (providerKind(project.config, 'auth') === 'external') {
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('The token revocation check', 'auth external (bans and sign-outs happen in the auth Worker)'),
        AT,
        'Keep auth.jwt.expiresIn short instead, or remove revocationCheck.',
      ),
    );
  } else if (
    runtime === 'cloudflare' && storage !== 'kv'
    && valueAtDotted(project.config, 'providers.auth.options.kvId') === undefined
  ) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_MISSING_OPTION',
        'The token revocation check needs a KV namespace on Workers',
        AT,
        'Add storage: defineStorage("kv", { namespaceId: "..." }) to providers (or kvId on the auth provider).',
      ),
    );
  } else if (runtime !== 'cloudflare' && storage === undefined) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_MISSING_OPTION',
        `The token revocation check needs a storage provider on ${runtime ?? 'this runtime'}`,
        AT,
        'Add storage: defineStorage("redis", { url: "redis://127.0.0.1:6379" }) (shared), or defineStorage("memory") (one server process), to providers.',
      ),
    );
  }
  return out;
}
