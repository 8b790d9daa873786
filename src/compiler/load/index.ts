/**
 * @module compiler/load
 * Stage 1, the only stage that reads user files: finds the project, evaluates the config and every
 * definition file, reads the migration history, and hashes every source it read.
 */
import path from 'node:path';
import type { QuickbackConfigInput } from '../../dsl/config.js';
import { kindOf } from '../../dsl/kind.js';
import { error, type Diagnostic } from '../../shared/diagnostics.js';
import { QuickbackError } from '../../shared/errors.js';
import { openCache, type OpenCacheOptions } from './cache.js';
import { cachedDefinitions, evaluateDefinitions, type DefinitionContext } from './definition-file.js';
import { resolveHandlers } from './actions.js';
import { loadErrorToDiagnostic } from './errors.js';
import { findConfig, findDefinitionFiles } from './find.js';
import { fileHasher } from './hash.js';
import { createModuleLoader, followImport, type ModuleLoader } from './loader.js';
import { readMigrationHistory } from './migrations.js';
import { TransformStore } from './transform.js';
import { MIGRATIONS_DIR, relativePath } from './paths.js';
import type { LoadedProject } from './types.js';

export type { LoadedProject, ResourceInput, ActionsInput, MigrationHistory } from './types.js';
export { createModuleLoader, type ModuleLoader } from './loader.js';

async function loadConfig(
  loader: ModuleLoader,
  file: string,
  root: string,
  diagnostics: Diagnostic[],
): Promise<QuickbackConfigInput | undefined> {
  const rel = relativePath(root, file);
  try {
    const exported = (await loader.load(file)).default;
    if (
      typeof exported === 'object' && exported !== null && (kindOf(exported) === 'config' || 'providers' in exported)
    ) {
      return exported as QuickbackConfigInput;
    }
    diagnostics.push(
      error('QB_LOAD_NOT_A_CONFIG', 'The config file does not default-export defineConfig({ ... })', {
        file: rel,
        hint: 'export default defineConfig({ name: "my-app", providers: { ... } })',
      }),
    );
  } catch (thrown) {
    diagnostics.push(loadErrorToDiagnostic(thrown, rel, root));
  }
  return undefined;
}

export interface LoadOptions {
  /** The module loader to use (and keep); by default one is made for this load and disposed after it. */
  loader?: ModuleLoader;
  /** false: load every definition from source and keep no cache (`--no-cache`). */
  cache?: false | OpenCacheOptions;
}

/**
 * Loads the project at `root`. Throws a QuickbackError (with every diagnostic attached) only when
 * the config itself cannot be read; problems in definition files are returned in `diagnostics`
 * (errors included) so validation can report them together with everything else.
 */
export async function loadProject(root: string, options: LoadOptions = {}): Promise<LoadedProject> {
  const absRoot = path.resolve(root);
  const configFile = findConfig(absRoot);
  if (!configFile) {
    throw new QuickbackError('QB_LOAD_CONFIG_NOT_FOUND', `No quickback/quickback.config.ts in ${absRoot}`, {
      file: 'quickback/quickback.config.ts',
      hint: 'Run the command from your project root (or pass --cwd DIR), or scaffold one with `npm create quickback`.',
    });
  }
  const loader = options.loader ?? createModuleLoader();
  try {
    return await loadWith(loader, absRoot, configFile, options.cache ?? {});
  } finally {
    if (!options.loader) loader.dispose();
  }
}

async function loadWith(
  loader: ModuleLoader,
  absRoot: string,
  configFile: string,
  cacheOptions: false | OpenCacheOptions,
): Promise<LoadedProject> {
  const diagnostics: Diagnostic[] = [];
  const hashOf = fileHasher(absRoot);
  const sources: Record<string, string> = {};
  const record = (rel: string) => {
    const hash = hashOf(rel);
    if (hash !== null) sources[rel] = hash;
  };
  const cache = cacheOptions === false ? null : openCache(absRoot, cacheOptions, diagnostics);
  const ctx: DefinitionContext = { hashOf, record, cache, diagnostics };
  const configRel = relativePath(absRoot, configFile);
  record(configRel);
  // Definitions from the cache first; then everything still to evaluate is transformed in one batch.
  const found = findDefinitionFiles(absRoot).map((file) => ({ file, cached: cachedDefinitions(absRoot, file, ctx) }));
  const transforms = new TransformStore(cache?.previous.transforms);
  loader.useTransforms(transforms);
  await transforms.prepare([configFile, ...found.filter((f) => !f.cached).map((f) => f.file.file)], followImport);
  const config = await loadConfig(loader, configFile, absRoot, diagnostics);
  for (const dep of loader.dependencies(configFile)) record(relativePath(absRoot, dep));
  const project: LoadedProject = {
    root: absRoot,
    configFile: configRel,
    config: config as QuickbackConfigInput,
    resources: [],
    actions: [],
    sources,
    diagnostics,
    migrations: { auth: null, features: null },
    cache,
  };
  for (const { file, cached } of found) {
    const definitions = cached ?? (await evaluateDefinitions(loader, absRoot, file, ctx));
    if (!definitions) continue;
    project.resources.push(...definitions.resources);
    project.actions.push(
      ...definitions.actions.map((a) =>
        resolveHandlers(a, absRoot, sources, (f) => hashOf(relativePath(absRoot, f)) ?? '')
      ),
    );
    diagnostics.push(...definitions.diagnostics);
  }
  if (cache) cache.next.transforms = transforms.entries();
  try {
    project.migrations = {
      auth: readMigrationHistory(absRoot, `${MIGRATIONS_DIR}/auth`),
      features: readMigrationHistory(absRoot, `${MIGRATIONS_DIR}/features`),
    };
  } catch (thrown) {
    if (thrown instanceof QuickbackError) diagnostics.push(...thrown.toDiagnostics());
    else throw thrown;
  }
  if (config === undefined) {
    throw new QuickbackError(diagnostics[0]?.code ?? 'QB_LOAD_NOT_A_CONFIG', 'The project could not be loaded', {
      diagnostics,
    });
  }
  return project;
}
