/**
 * @module cli/runtime-tools
 * The program each runtime's dev server needs (`bun` on Bun, `wrangler` on Cloudflare, `tsx` on
 * Node) and how to install it, so a missing one is named with its fix (issue #30): an error at
 * `quickback dev` (QB_DEV_TOOL_MISSING, instead of "The dev server exited with code 1") and a
 * warning when the scaffolder creates a Bun project and Bun cannot be found (create/next.ts).
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export type Runtime = 'node' | 'bun' | 'cloudflare';

const INSTALL: Record<string, string> = {
  bun:
    'Install Bun: curl -fsSL https://bun.sh/install | bash (or npm install -g bun), then open a new terminal so it is on PATH.',
  wrangler:
    "wrangler is one of the app's devDependencies: run npm install in the app folder (or npm install --save-dev wrangler).",
  tsx: "tsx is one of the app's dependencies: run npm install in the app folder.",
};

export function installHint(tool: string): string {
  return INSTALL[tool] ?? `Install ${tool} and make sure it is on PATH.`;
}

/** What runs the runtime's dev server, and a person's word for why. */
export function runtimeTool(runtime: Runtime): { tool: string; purpose: string } {
  if (runtime === 'bun') return { tool: 'bun', purpose: 'Bun runs this app (defineRuntime("bun"))' };
  if (runtime === 'cloudflare')
    return { tool: 'wrangler', purpose: 'wrangler runs this Worker locally (defineRuntime("cloudflare"))' };
  return { tool: 'tsx', purpose: "tsx runs this app's dev server" };
}
function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Found as `quickback dev` would start it: in node_modules/.bin from `cwd` upwards, or on PATH. */
export function findTool(tool: string, cwd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const names = process.platform === 'win32'
    ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((ext) => tool + ext)
    : [tool];
  const dirs: string[] = [];
  for (let dir = path.resolve(cwd);; dir = path.dirname(dir)) {
    dirs.push(path.join(dir, 'node_modules', '.bin'));
    if (path.dirname(dir) === dir) break;
  }
  dirs.push(...(env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return dirs.some((dir) => names.some((name) => executable(path.join(dir, name))));
}
