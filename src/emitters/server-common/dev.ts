/**
 * @module emitters/server-common/dev
 * The generated app's dev scripts, defined once for the emitters (package.json) and for
 * `quickback dev`: `dev` runs the compiler's watcher and the app's own dev server together;
 * `dev:server` is the server alone (it reloads when the compiler rewrites a file it imports).
 * A port (`quickback dev --port N`) reaches the server the way each runtime takes one: wrangler's
 * `--port`, plus PORT as a var, which the Worker's local origins (trusted by CORS and Better Auth)
 * are built from, as they are from PORT on Node and Bun. The server gets the development marker
 * (QUICKBACK_DEV=1): local origins trusted, Better Auth's rate limit off.
 */
import path from 'node:path';
import type { AppModel } from '../../compiler/model/ir.js';
import { DEV_MARKER } from './print/env.js';

export interface DevServerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export function devServerCommand(runtime: AppModel['runtime']['kind'], port?: number): DevServerCommand {
  // The app runs with its development settings only when told so (DEV_MARKER); production is its default.
  const env: Record<string, string> = { [DEV_MARKER]: '1', ...(port === undefined ? {} : { PORT: String(port) }) };
  if (runtime === 'bun') return { command: 'bun', args: ['--watch', 'src/server.ts'], env };
  // wrangler reloads the Worker itself when a file changes; port from wrangler.toml [dev] unless given.
  // A --var wins over .dev.vars and [vars].
  if (runtime === 'cloudflare') {
    return {
      command: 'wrangler',
      args: [
        'dev',
        '--ip',
        '127.0.0.1',
        '--var',
        `${DEV_MARKER}:1`,
        ...(port === undefined ? [] : ['--port', String(port), '--var', `PORT:${port}`]),
      ],
      env: {},
    };
  }
  return { command: 'tsx', args: ['watch', 'src/server.ts'], env };
}

export function devScripts(model: AppModel): { dev: string; 'dev:server': string } {
  const { command, args } = devServerCommand(model.runtime.kind);
  const outDir = path.posix.normalize(model.build.outputDir);
  const back = outDir === '.' ? '' : ` --cwd ${path.posix.relative(outDir, '.') || '.'}`;
  return { dev: `quickback dev${back}`, 'dev:server': [command, ...args].join(' ') };
}
