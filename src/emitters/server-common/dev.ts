/**
 * @module emitters/server-common/dev
 * The generated app's dev scripts, defined once for the emitters (package.json) and for
 * `quickback dev`: `dev` runs the compiler's watcher and the app's own dev server together;
 * `dev:server` is the server alone (it reloads when the compiler rewrites a file it imports).
 */
import path from 'node:path';
import type { AppModel } from '../../compiler/model/ir.js';

export interface DevServerCommand { command: string; args: string[] }

export function devServerCommand(runtime: AppModel['runtime']['kind']): DevServerCommand {
  if (runtime === 'bun') return { command: 'bun', args: ['--watch', 'src/server.ts'] };
  // wrangler reloads the Worker itself when a file changes; port from wrangler.toml [dev].
  if (runtime === 'cloudflare') return { command: 'wrangler', args: ['dev', '--ip', '127.0.0.1'] };
  return { command: 'tsx', args: ['watch', 'src/server.ts'] };
}

export function devScripts(model: AppModel): { dev: string; 'dev:server': string } {
  const { command, args } = devServerCommand(model.runtime.kind);
  const outDir = path.posix.normalize(model.build.outputDir);
  const back = outDir === '.' ? '' : ` --cwd ${path.posix.relative(outDir, '.') || '.'}`;
  return { dev: `quickback dev${back}`, 'dev:server': [command, ...args].join(' ') };
}
