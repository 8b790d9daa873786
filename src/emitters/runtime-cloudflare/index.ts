/**
 * @module emitters/runtime-cloudflare
 * Cloudflare Workers for `runtime: cloudflare`: the Worker module, env from bindings,
 * `wrangler.toml`, `.dev.vars.example`, package.json (wrangler scripts) and tsconfig.
 */
import type { CloudflareModel } from '../../compiler/model/cloudflare.js';
import type { AppModel } from '../../compiler/model/ir.js';
import type { Emitter, EmittedFile } from '../../compiler/emit/contract.js';
import { devScripts } from '../server-common/dev.js';
import { printEnvExample } from '../server-common/print/env.js';
import { printPackageJson, printTsconfig } from '../server-common/print/package.js';
import { printCloudflareEnv } from './print/env.js';
import { printWorker } from './print/worker.js';
import { printWranglerToml } from './print/wrangler.js';

/** `db:migrate:<db>:local|remote` per migrated D1 database, both at once, and `deploy`. */
export function wranglerScripts(cf: CloudflareModel): Record<string, string> {
  const migrated = cf.d1.filter((d) => d.migrationsDir !== null);
  const scripts: Record<string, string> = {};
  for (const where of ['local', 'remote'] as const) {
    for (const d of migrated)
      scripts[`db:migrate:${d.logical}:${where}`] = `wrangler d1 migrations apply ${d.databaseName} --${where}`;
    scripts[`db:migrate:${where}`] = migrated.length > 0
      ? migrated.map((d) => `npm run db:migrate:${d.logical}:${where}`).join(' && ')
      : 'echo "Nothing to migrate: no D1 database has tables yet"';
  }
  return { ...scripts, deploy: 'wrangler deploy' };
}

function emit(model: AppModel, cf: CloudflareModel): EmittedFile[] {
  const file = (path: string, contents: string): EmittedFile => ({
    path,
    contents,
    ownership: 'compiler',
    emitter: 'runtime-cloudflare',
  });
  // neon: one PostgreSQL database, schema and RLS applied by quickback migrate (DATABASE_URL from .dev.vars).
  const migrate = model.database.dialect === 'postgresql'
    ? { 'db:migrate': 'quickback migrate', deploy: 'wrangler deploy' }
    : wranglerScripts(cf);
  const scripts = { ...devScripts(model), ...migrate, typecheck: 'tsc --noEmit' };
  return [
    file('src/worker.ts', printWorker(model)),
    file('src/env.ts', printCloudflareEnv(model, cf)),
    file('wrangler.toml', printWranglerToml(model, cf)),
    file('.dev.vars.example', printEnvExample(model)),
    file('package.json', printPackageJson(model, scripts)),
    file('tsconfig.json', printTsconfig(model)),
  ];
}

export const runtimeCloudflareEmitter = {
  id: 'runtime-cloudflare',
  applies: (model) => model.runtime.kind === 'cloudflare' && model.cloudflare !== undefined,
  emit: (model) => emit(model, model.cloudflare!),
} satisfies Emitter;
