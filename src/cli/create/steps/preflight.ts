/**
 * @module cli/create/steps/preflight
 * Before anything is written: a Node version that runs the generated app, and the package
 * manager and git when the run will use them.
 */
import { execa } from 'execa';
import { QuickbackError } from '../../../shared/errors.js';
import type { CreateOptions } from '../options.js';

const MIN_NODE = [20, 19];

export function nodeVersionOk(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

async function present(command: string): Promise<boolean> {
  const result = await execa(command, ['--version'], { reject: false, stdin: 'ignore' });
  return result.exitCode === 0;
}

export async function preflight(options: CreateOptions): Promise<void> {
  if (!nodeVersionOk()) {
    throw new QuickbackError('QB_CREATE_PREFLIGHT', `Node ${process.versions.node} is too old`, { hint: `Use Node ${MIN_NODE.join('.')} or newer.` });
  }
  if (options.install && !(await present(options.packageManager))) {
    throw new QuickbackError('QB_CREATE_PREFLIGHT', `${options.packageManager} was not found`, { hint: `Install ${options.packageManager}, choose another with --package-manager, or pass --no-install.` });
  }
  if (options.git && !(await present('git'))) {
    throw new QuickbackError('QB_CREATE_PREFLIGHT', 'git was not found', { hint: 'Install git, or pass --no-git.' });
  }
}
