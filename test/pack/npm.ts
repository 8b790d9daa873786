/**
 * What the pack test does with npm and with the app it creates: run npm (asynchronously: the
 * loopback registry answers from the same process), pack our two packages, read a lockfile's
 * resolution, and run `npm run dev` in its own process group on a free port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../helpers/project.js';
import { waitForHealth } from '../helpers/server.js';
import type { LocalTarball } from './registry.js';

/** process.env without what an npm parent (`npm test`) tells its scripts about the repository. */
export function outsideEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) =>
      !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(name)
    ),
  );
}

export async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await promisify(execFile)(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed in ${cwd}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

export const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv) => run('npm', args, cwd, env);

/** `npm pack` of each package folder (runs `prepack`: the CLI bundle) into `into`. */
export async function pack(dirs: string[], into: string, env: NodeJS.ProcessEnv): Promise<LocalTarball[]> {
  const packed: LocalTarball[] = [];
  for (const dir of dirs) {
    const [{ filename }] = JSON.parse(await npm(['pack', '--json', '--pack-destination', into], dir, env)) as Array<
      { filename: string }
    >;
    packed.push({
      file: path.join(into, filename),
      manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')),
    });
  }
  return packed;
}

/**
 * better-sqlite3 (an optional dependency of the compiler) downloads its binary from GitHub when it
 * installs; these machines reach the npm registry only, so it would compile SQLite instead (~140 s,
 * twice). prebuild-install looks in npm_config_better_sqlite3_local_prebuilds first: the binary the
 * repository's own install has is put there under the download's name. Returns that setting.
 */
export async function betterSqlitePrebuild(into: string): Promise<NodeJS.ProcessEnv> {
  const dir = path.join(REPO, 'node_modules', 'better-sqlite3');
  if (!existsSync(path.join(dir, 'build', 'Release', 'better_sqlite3.node'))) return {};
  const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
    ?.glibcVersionRuntime;
  const libc = process.platform === 'linux' && !glibc ? 'musl' : '';
  mkdirSync(into, { recursive: true });
  const file =
    `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}${libc}-${process.arch}.tar.gz`;
  await run('tar', ['-czf', path.join(into, file), '-C', dir, 'build/Release/better_sqlite3.node'], into, process.env);
  return { npm_config_better_sqlite3_local_prebuilds: into };
}

/** name → the versions a package-lock.json resolved it to. */
export function resolvedVersions(lockFile: string): Map<string, string[]> {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
    packages: Record<string, { version?: string; link?: boolean }>;
  };
  const found = new Map<string, Set<string>>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key || entry.link || !entry.version) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    found.set(name, (found.get(name) ?? new Set()).add(entry.version));
  }
  return new Map([...found].map(([name, versions]) => [name, [...versions].sort()]));
}

/** The result line `create-quickback --json` prints after npm's own banner. */
export function createResult(out: string): Record<string, unknown> {
  return JSON.parse(out.slice(out.search(/^\{/m)));
}

export interface Running {
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

/** `npm run dev -- --port N`: npm → sh → quickback dev → wrangler dev → workerd, one process group. */
export function runDev(cwd: string, port: number, env: NodeJS.ProcessEnv): Running {
  const child = spawn('npm', ['run', 'dev', '--', '--port', String(port)], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout!.on('data', (d) => {
    log += d;
  });
  child.stderr!.on('data', (d) => {
    log += d;
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
  return { child, log: () => log, stop };
}

/** `npm run dev` answers on /health (wrangler and workerd start slower than a Node server). */
export const devHealthy = (baseURL: string, dev: Running) => waitForHealth(baseURL, dev.child, dev.log, 90_000);
