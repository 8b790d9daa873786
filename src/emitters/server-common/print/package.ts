/**
 * @module emitters/server-common/print/package
 * The generated app's `package.json` (with `imports`: `#quickback`, the runtime's public API for the
 * owner's code) and `tsconfig.json`. Dependencies are pinned to the exact
 * versions this compiler is tested with; `build.dependencies` adds the user's own. What those
 * dependencies pull in is pinned too, as `overrides` (npm) and `resolutions` (yarn, pnpm, bun), from
 * the compiler's lockfile (pins.ts): without them a plain install resolves ranges to the newest
 * releases, e.g. a second @better-auth/core for the plugins' `^1.7.5` peer beside better-auth's own
 * (the app then fails to type-check), older peers than better-auth's (ERESOLVE), or kysely 0.29
 * (Node 22 only).
 * Packages that must run install scripts (better-sqlite3's native build, esbuild's binary) are
 * listed for npm (`allowScripts`) and pnpm (`pnpm.onlyBuiltDependencies`), which block or warn
 * about scripts otherwise; Bun trusts both by default.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import pkg from '../../../../package.json' with { type: 'json' };
import { withBanner } from '../../banner.js';
import { RUNTIME_SPECIFIER } from '../../print-utils.js';
import { familyPins } from './pins.js';

const versions: Record<string, string> = { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies };

function pinned(names: string[]): Record<string, string> {
  return Object.fromEntries([...new Set(names)].sort().map((name) => [name, versions[name]]));
}

/** The app's run-time packages chosen by the compiler (the user's `build.dependencies` come on top). */
function runtimePackages(model: AppModel): string[] {
  // External auth: Better Auth runs in the auth Worker, not here.
  const names = [
    ...(model.auth.provider === 'better-auth' ? ['better-auth'] : []),
    'drizzle-orm',
    'hono',
    'jose',
    'zod',
  ];
  if (model.runtime.kind === 'node') names.push('@hono/node-server');
  // D1 is a binding (no driver package); bun:sqlite is built into Bun.
  if (model.database.kind === 'libsql') names.push('@libsql/client');
  else if (model.database.kind === 'better-sqlite3' && model.runtime.kind === 'node') names.push('better-sqlite3');
  else if (model.database.dialect === 'postgresql')
    names.push('pg', ...(model.database.kind === 'neon' ? ['@neondatabase/serverless', 'ws'] : []));
  if (model.auth.plugins.includes('apiKey')) names.push('@better-auth/api-key');
  if (model.auth.plugins.includes('passkey')) names.push('@better-auth/passkey');
  if (model.auth.plugins.includes('oauthProvider')) names.push('@better-auth/oauth-provider');
  if (model.storage?.kind === 'redis') names.push('@redis/client');
  if (model.realtime && model.runtime.kind === 'node') names.push('ws');
  const ids = model.database.generateId;
  if (ids === 'nanoid' || ids === 'short') names.push('nanoid');
  if (ids === 'cuid') names.push('@paralleldrive/cuid2');
  return [...new Set(names)];
}

export function dependencies(model: AppModel): Record<string, string> {
  return { ...pinned(runtimePackages(model)), ...model.build.dependencies };
}

/** `overrides` / `resolutions`: the versions of everything the app's run-time dependencies pull in. */
export function pinnedTransitives(model: AppModel): Record<string, string> {
  return familyPins(runtimePackages(model), model.build.dependencies);
}

export function printPackageJson(model: AppModel, scripts: Record<string, string>): string {
  const workers = model.runtime.kind === 'cloudflare';
  // drizzle-kit is for the drizzle.config.ts tools, which D1 apps (migrated by wrangler) do not get.
  // Workers run with nodejs_compat: the runtime's node: imports (node:crypto) are typed by @types/node there too.
  const dev = [
    '@quickback/compiler',
    'typescript',
    '@types/node',
    ...(workers ? ['wrangler', '@cloudflare/workers-types'] : ['drizzle-kit']),
  ];
  if (model.runtime.kind === 'node') dev.push('tsx');
  if (model.runtime.kind === 'node' && model.database.kind === 'better-sqlite3') dev.push('@types/better-sqlite3');
  if (model.database.dialect === 'postgresql')
    dev.push('@types/pg', ...(model.database.kind === 'neon' ? ['@types/ws'] : []));
  if (model.realtime && model.runtime.kind === 'node') dev.push('@types/ws');
  const devDependencies = Object.fromEntries(
    dev.sort().map((name) => [name, name === '@quickback/compiler' ? pkg.version : versions[name]]),
  );
  const deps = dependencies(model);
  const built = ['esbuild', ...('better-sqlite3' in deps ? ['better-sqlite3'] : [])].sort();
  const pins = pinnedTransitives(model);
  const manifest = {
    name: model.name,
    private: true,
    type: 'module',
    // The generated code and the owner's (quickback/app.ts, action handlers) import the runtime by this one name.
    imports: { [RUNTIME_SPECIFIER]: './src/lib/quickback/index.ts' },
    scripts,
    dependencies: deps,
    devDependencies,
    overrides: pins,
    resolutions: pins,
    allowScripts: Object.fromEntries(built.map((name) => [name, true])),
    pnpm: { onlyBuiltDependencies: built },
    engines: model.runtime.kind === 'bun' ? undefined : { node: '>=20.19.0' },
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

export function printTsconfig(model: AppModel): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: model.runtime.kind === 'cloudflare' ? ['@cloudflare/workers-types', 'node'] : ['node'],
      resolveJsonModule: true,
    },
    include: ['src'],
  };
  return withBanner('ts', model.configFile, JSON.stringify(config, null, 2));
}
