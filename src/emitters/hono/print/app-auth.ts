/**
 * @module emitters/hono/print/app-auth
 * The bearer-token pieces of the app index: the `jwt` option of createQuickbackApp and the
 * revocation denylist (`auth.jwt.revocationCheck`) it reads, with their imports.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { importLine } from '../../print-utils.js';

/** ` jwt: {...},` for createQuickbackApp (the bearer-token fast path), or nothing. */
export function jwtOption(model: AppModel): string {
  if (!model.jwt) return '';
  const { revocation, ...jwt } = model.jwt;
  const denylist = revocation ? (model.cloudflare ? ' revocation: (c) => revocationFor(c.env as Bindings),' : ' revocation: () => revocation,') : '';
  return ` jwt: { ${Object.entries(jwt).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} },${denylist}`;
}

/** The revocation denylist (auth.jwt.revocationCheck): KV per request on Workers, one in-process store on Node and Bun. */
export function revocationLines(model: AppModel): (string | false)[] {
  const jwt = model.jwt;
  if (!jwt?.revocation) return [];
  const ttl = `ttlSeconds: ${jwt.expiresIn + 60}`;
  if (model.cloudflare) return [`  const revocationFor = (bindings: Bindings): Revocation => ({ store: kvStore(bindings.${model.cloudflare.kv?.binding ?? 'KV'}), ${ttl} });`];
  if (jwt.revocation === 'memory') return [`  const revocation: Revocation = { store: memoryStore(), ${ttl} };`];
  const url = model.storage?.kind === 'redis' ? model.storage.url : '';
  return [
    '  // Commands fail fast while Redis is away (no offline queue); the denylist then fails closed.',
    `  const redis = createClient({ url: env.REDIS_URL ?? ${JSON.stringify(url)}, disableOfflineQueue: true });`,
    '  redis.on("error", (err: Error) => console.error("[quickback] redis:", err.message));',
    `  const revocation: Revocation = { store: redisStore(redis, redis.connect().catch(() => undefined)), ${ttl} };`,
  ];
}

export function revocationImports(model: AppModel): (string | false)[] {
  const kind = model.jwt?.revocation;
  if (!kind) return [];
  return [
    kind === 'redis' ? importLine(['createClient'], '@redis/client') : false,
    importLine([`${kind}Store`], './lib/quickback/revocation.js'), importLine(['Revocation'], './lib/quickback/revocation.js', true),
  ];
}
