/**
 * @module compiler/load
 * Stage 1, the only stage that reads user files: finds the project, evaluates the config and every
 * definition file, reads the migration history, and hashes every source it read.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { QuickbackConfigInput } from '../../dsl/config.js';
import { kindOf } from '../../dsl/kind.js';
import { error, type Diagnostic } from '../../shared/diagnostics.js';
import { QuickbackError } from '../../shared/errors.js';
import { resolveActions } from './actions.js';
import { collectDefinitions } from './definitions.js';
import { loadErrorToDiagnostic } from './errors.js';
import { findConfig, findDefinitionFiles } from './find.js';
import { createModuleLoader, type ModuleLoader } from './loader.js';
import { readMigrationHistory } from './migrations.js';
import { MIGRATIONS_DIR, relativePath } from './paths.js';
import type { LoadedProject } from './types.js';

export type { LoadedProject, ResourceInput, ActionsInput, MigrationHistory } from './types.js';
export { createModuleLoader, type ModuleLoader } from './loader.js';

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function loadConfig(loader: ModuleLoader, file: string, root: string, diagnostics: Diagnostic[]): Promise<QuickbackConfigInput | undefined> {
  const rel = relativePath(root, file);
  try {
    const exported = (await loader.load(file)).default;
    if (typeof exported === 'object' && exported !== null && (kindOf(exported) === 'config' || 'providers' in exported)) {
      return exported as QuickbackConfigInput;
    }
    diagnostics.push(error('QB_LOAD_NOT_A_CONFIG', 'The config file does not default-export defineConfig({ ... })', { file: rel, hint: 'export default defineConfig({ name: "my-app", providers: { ... } })' }));
  } catch (thrown) {
    diagnostics.push(loadErrorToDiagnostic(thrown, rel, root));
  }
  return undefined;
}

/**
 * Loads the project at `root`. Throws a QuickbackError (with every diagnostic attached) only when
 * the config itself cannot be read; problems in definition files are returned in `diagnostics`
 * (errors included) so validation can report them together with everything else.
 */
export async function loadProject(root: string, loader: ModuleLoader = createModuleLoader()): Promise<LoadedProject> {
  const absRoot = path.resolve(root);
  const configFile = findConfig(absRoot);
  if (!configFile) {
    throw new QuickbackError('QB_LOAD_CONFIG_NOT_FOUND', `No quickback/quickback.config.ts in ${absRoot}`, {
      file: 'quickback/quickback.config.ts',
      hint: 'Run the command from your project root (or pass --cwd DIR), or scaffold one with `npm create quickback`.',
    });
  }
  const diagnostics: Diagnostic[] = [];
  const sources: Record<string, string> = { [relativePath(absRoot, configFile)]: sha256File(configFile) };
  const config = await loadConfig(loader, configFile, absRoot, diagnostics);
  const project: LoadedProject = {
    root: absRoot, configFile: relativePath(absRoot, configFile), config: config as QuickbackConfigInput,
    resources: [], actions: [], sources, diagnostics, migrations: { auth: null, features: null },
  };
  for (const { file, featureDir } of findDefinitionFiles(absRoot)) {
    const rel = relativePath(absRoot, file);
    sources[rel] = sha256File(file);
    try {
      const found = collectDefinitions(await loader.load(file), { file: rel, featureDir });
      project.resources.push(...found.resources);
      project.actions.push(...found.actions.map((a) => resolveActions(a, absRoot, sources, sha256File)));
      diagnostics.push(...found.diagnostics);
    } catch (thrown) {
      diagnostics.push(loadErrorToDiagnostic(thrown, rel, absRoot));
    }
  }
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
    throw new QuickbackError(diagnostics[0]?.code ?? 'QB_LOAD_NOT_A_CONFIG', 'The project could not be loaded', { diagnostics });
  }
  return project;
}
