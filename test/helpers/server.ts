/**
 * Real servers for conformance: the compiled app started as its own process (Node through tsx,
 * or Bun) on 127.0.0.1 and a free port, reached with the global fetch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO } from './project.js';
import { requires } from './requires.js';
import { appEnv, compileAndMigrate, databaseFiles, dbReader, type ConformanceTarget } from './target.js';

export const BUN = path.join(REPO, 'node_modules', '.bin', 'bun');
let bun: boolean | undefined;
/** Bun comes from the `bun` devDependency (its binary ships in the package); under CI it must be there. */
export function hasBun(): boolean {
  bun ??= requires('Bun', existsSync(BUN), `${BUN} is missing (npm ci installs the bun package)`);
  return bun;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `baseURL`/health until it answers 200 (with `anyStatus`, until it answers at all: an app
 * whose migrations are pending answers 503); fails with the child's output when it exits or `ms` pass.
 */
export async function waitForHealth(
  baseURL: string,
  child: ChildProcess,
  log: () => string,
  ms = 30_000,
  anyStatus = false,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${baseURL}/health`);
      if (res.ok || anyStatus) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy:\n${log()}`);
}

/**
 * `host`: the name in BETTER_AUTH_URL (`localhost` for WebAuthn, which refuses IP addresses); the server listens on 127.0.0.1.
 * `unhealthy`: ready once /health answers at all (an app started before its migrations answers 503).
 */
export async function startServer(
  root: string,
  runtime: 'node' | 'bun',
  split = true,
  options: { host?: string; env?: Record<string, string>; unhealthy?: boolean } = {},
) {
  const port = await freePort();
  const baseURL = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const command = runtime === 'bun' ? BUN : process.execPath;
  const args = runtime === 'bun' ? ['run', 'src/server.ts'] : ['--import', 'tsx', 'src/server.ts'];
  const child = spawn(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...appEnv(root, baseURL, split),
      PORT: String(port),
      ...options.env,
    },
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  await waitForHealth(baseURL, child, () => output, 30_000, options.unhealthy);
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { baseURL, child, output: () => output, stop };
}

/** Compiles, migrates and starts the app as a real server. */
export async function serverTarget(
  root: string,
  runtime: 'node' | 'bun',
  driver: 'better-sqlite3' | 'libsql',
  split = true,
  env: Record<string, string> = {},
): Promise<ConformanceTarget> {
  await compileAndMigrate(root, driver, split);
  const server = await startServer(root, runtime, split, { env });
  return {
    name: `${runtime} server ${driver}`,
    fetch: (request) => fetch(request),
    baseURL: server.baseURL,
    ...dbReader(databaseFiles(root).features),
    close: server.stop,
  };
}
