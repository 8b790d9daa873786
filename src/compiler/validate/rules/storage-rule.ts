/**
 * @module compiler/validate/rules/storage-rule
 * `defineStorage` (seed 000): the key-value store of Better Auth's secondary storage (sessions,
 * rate limits) and of the token denylist. Workers read KV (`kv`, or the auth provider's `kvId`);
 * Node and Bun read Redis (`redis`, or `kv`, which is Redis off Cloudflare) or this process's
 * memory (`memory`: development only, so it warns). `r2` is file storage (defineFileStorage).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { notSupported } from '../capabilities.js';
import { configError, providerKind } from '../project.js';
import { valueAtDotted } from '../util.js';

export function storageRule(project: LoadedProject): Diagnostic[] {
  const runtime = providerKind(project.config, 'runtime');
  const storage = providerKind(project.config, 'storage');
  const at = { file: project.configFile, at: 'providers.storage' };
  if (runtime === undefined) return [];
  if (runtime === 'cloudflare') {
    if (storage !== 'memory' && storage !== 'redis') return [];
    const what = storage === 'memory' ? 'In-process memory storage' : 'Redis storage';
    return [
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(what, 'the cloudflare runtime (use Workers KV)'),
        'providers.storage',
        'Use defineStorage("kv", { namespaceId }) on Workers.',
      ),
    ];
  }
  if (valueAtDotted(project.config, 'providers.auth.options.kvId') !== undefined) {
    return [
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('A Workers KV namespace id (`kvId`)', `the ${runtime} runtime`),
        'providers.auth.kvId',
        `Off Workers the store is Redis: remove kvId and add storage: defineStorage("redis", { url: "redis://127.0.0.1:6379" }) (or defineStorage("kv"), which is Redis on ${runtime}).`,
      ),
    ];
  }
  if (storage === undefined) return [];
  const betterAuth = (providerKind(project.config, 'auth') ?? 'better-auth') === 'better-auth';
  if (!betterAuth && valueAtDotted(project.config, 'auth.jwt.revocationCheck') !== 'kv') {
    return [
      warning(
        'QB_WARN_OPTION_NO_EFFECT',
        `defineStorage("${storage}") has no effect: sessions live with the ${
          providerKind(project.config, 'auth')
        } auth provider, and auth.jwt.revocationCheck is off`,
        { ...at, hint: 'Remove it, or turn the revocation check on.' },
      ),
    ];
  }
  if (storage === 'memory') {
    return [
      warning(
        'QB_WARN_DEV_ONLY',
        'defineStorage("memory") keeps sessions, rate limits and revoked tokens in one process\'s memory: they are lost on restart and not shared between processes (npm start)',
        {
          ...at,
          hint:
            'Use it for development; in production use defineStorage("redis", { url }) (REDIS_URL overrides the url).',
        },
      ),
    ];
  }
  return [];
}
