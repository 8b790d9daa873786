/**
 * @module emitters/server-common/dev
 * The generated app's dev scripts, defined once for the emitters (package.json) and for
 * `quickback dev`: `dev` runs the compiler's watcher and the app's own dev server together;
 * `dev:server` is the server alone (it reloads when the compiler rewrites a file it imports).
 * A port (`quickback dev --port N`) reaches the server the way each runtime takes one: wrangler's
 * `--port`, plus PORT as a var, which the Worker's local origins (trusted by CORS and Better Auth)
 * are built from, as they are from PORT on Node and Bun.
 */
import path from 'node:path';
import type { AppModel } from '../../compiler/model/ir.js';

export interface DevServerCommand { command: string; args: string[]; env: Record<string, string> }

export function devServerCommand(runtime: AppModel['runtime']['kind'], port?: number): DevServerCommand {
  const env: Record<string, string> = port === undefined ? {} : { PORT: String(port) };
  if (runtime === 'bun') return { command: 'bun', args: ['--watch', 'src/server.ts'], env };
  // wrangler reloads the Worker itself when a file changes; port from wrangler.toml [dev] unless given.
  // A --var wins over .dev.vars and [vars].
  if (runtime === 'cloudflare') return { command: 'wrangler', args: ['dev', '--ip', '127.0.0.1', ...(port === undefined ? [] : ['--port', String(port), '--var', `PORT:${port}`])], env: {} };
  return { command: 'tsx', args: ['watch', 'src/server.ts'], env };
}

export function devScripts(model: AppModel): { dev: string; 'dev:server': string } {
  const { command, args } = devServerCommand(model.runtime.kind);
  const outDir = path.posix.normalize(model.build.outputDir);
  const back = outDir === '.' ? '' : ` --cwd ${path.posix.relative(outDir, '.') || '.'}`;
  return { dev: `quickback dev${back}`, 'dev:server': [command, ...args].join(' ') };
}
