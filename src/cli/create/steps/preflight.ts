/**
 * @module cli/create/steps/preflight
 * Before anything is written: a Node version that runs the generated app, and the package
 * manager and git when the run will use them (found on PATH, as the shell would find them,
 * without starting them: `npm --version` alone takes ~0.2 s).
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { QuickbackError } from '../../../shared/errors.js';
import type { CreateOptions } from '../options.js';

const MIN_NODE = [20, 19];

export function nodeVersionOk(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of extensions) {
      const file = path.join(dir, command + ext);
      try {
        if (!statSync(file).isFile()) continue;
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

export async function preflight(options: CreateOptions): Promise<void> {
  if (!nodeVersionOk()) {
    throw new QuickbackError('QB_CREATE_PREFLIGHT', `Node ${process.versions.node} is too old`, {
      hint: `Use Node ${MIN_NODE.join('.')} or newer.`,
    });
  }
  if (options.install && !onPath(options.packageManager)) {
    throw new QuickbackError('QB_CREATE_PREFLIGHT', `${options.packageManager} was not found`, {
      hint: `Install ${options.packageManager}, choose another with --package-manager, or pass --no-install.`,
    });
  }
  if (options.git && !onPath('git')) {
    throw new QuickbackError('QB_CREATE_PREFLIGHT', 'git was not found', { hint: 'Install git, or pass --no-git.' });
  }
}
