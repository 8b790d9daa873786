/**
 * @module emitters/server-common/print/package
 * The generated app's `package.json` and `tsconfig.json`. Dependencies are pinned to the exact
 * versions this compiler is tested with; `build.dependencies` adds the user's own.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import pkg from '../../../../package.json' with { type: 'json' };
import { withBanner } from '../../banner.js';
import { literal } from '../../print-utils.js';

const versions: Record<string, string> = { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies };

function pinned(names: string[]): Record<string, string> {
  return Object.fromEntries([...new Set(names)].sort().map((name) => [name, versions[name]]));
}

export function dependencies(model: AppModel): Record<string, string> {
  const names = ['better-auth', 'drizzle-orm', 'hono', 'zod'];
  if (model.runtime.kind === 'node') names.push('@hono/node-server');
  if (model.database.kind === 'libsql') names.push('@libsql/client');
  else if (model.runtime.kind === 'node') names.push('better-sqlite3');
  if (model.auth.plugins.includes('apiKey')) names.push('@better-auth/api-key');
  const ids = model.database.generateId;
  if (ids === 'nanoid' || ids === 'short') names.push('nanoid');
  if (ids === 'cuid') names.push('@paralleldrive/cuid2');
  return { ...pinned(names), ...model.build.dependencies };
}

export function printPackageJson(model: AppModel, scripts: Record<string, string>): string {
  const dev = ['@quickback/compiler', 'drizzle-kit', 'typescript', '@types/node'];
  if (model.runtime.kind === 'node') dev.push('tsx');
  if (model.runtime.kind === 'node' && model.database.kind === 'better-sqlite3') dev.push('@types/better-sqlite3');
  const devDependencies = Object.fromEntries(dev.sort().map((name) => [name, name === '@quickback/compiler' ? pkg.version : versions[name]]));
  const manifest = {
    name: model.name,
    private: true,
    type: 'module',
    scripts,
    dependencies: dependencies(model),
    devDependencies,
    engines: model.runtime.kind === 'node' ? { node: '>=20.19.0' } : undefined,
  };
  return literal(manifest) + '\n';
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
      types: ['node'],
      resolveJsonModule: true,
    },
    include: ['src'],
  };
  return withBanner('ts', model.configFile, literal(config));
}
