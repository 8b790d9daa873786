/**
 * The published path, offline: both packages are packed with `npm pack`, installed into a temp
 * folder outside the repository from the tarballs (their dependencies come from a loopback
 * registry fed by npm's cache, with an empty cache of its own, so nothing can come from the
 * network or the repository), then `npm create quickback` scaffolds a project with the defaults
 * (Cloudflare + D1) and `--install`, and `npm run dev` (wrangler dev) serves it: /health answers and Better Auth's own client signs
 * up. `npx create-quickback --dry-run --json` runs from the same install.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../helpers/client.js';
import { REPO } from '../helpers/project.js';
import { startRegistry, type LocalTarball, type Registry } from './registry.js';

// Asynchronous: the loopback registry answers from this same process.
async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await promisify(execFile)('npm', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

describe('npm pack → offline install → npm create quickback', () => {
  let work: string;
  let registry: Registry;
  let env: NodeJS.ProcessEnv;
  const consumer = () => path.join(work, 'consumer');

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'quickback-pack-'));
    const packs = path.join(work, 'tarballs');
    mkdirSync(packs);
    const base = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const packed: LocalTarball[] = [];
    for (const dir of [REPO, path.join(REPO, 'packages', 'create-quickback')]) {
      await npm(['pack', '--pack-destination', packs], dir, base); // runs `prepack`: the CLI bundle
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      packed.push({ file: path.join(packs, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`), manifest });
    }
    const npmCache = (await npm(['config', 'get', 'cache'], REPO, base)).trim();
    const optionalPeers = JSON.parse(readFileSync(path.join(REPO, 'test', 'pack', 'optional-peers.json'), 'utf8'));
    registry = await startRegistry(path.join(REPO, 'package-lock.json'), npmCache, packed, optionalPeers);
    console.log(`pack e2e: ${work}, registry ${registry.url}, npm cache ${npmCache}`);
    env = { ...base, npm_config_registry: registry.url, npm_config_cache: path.join(work, 'npm-cache'), npm_config_prefer_online: 'false' };
    mkdirSync(consumer());
    writeFileSync(path.join(consumer(), 'package.json'), '{ "name": "consumer", "private": true }\n');
    await npm(['install', ...packed.map((p) => p.file)], consumer(), env);
  }, 600_000);

  afterAll(async () => {
    await registry?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installed both packages from the tarballs, dependencies from the loopback registry', () => {
    const installed = JSON.parse(readFileSync(path.join(consumer(), 'node_modules', '@quickback', 'compiler', 'package.json'), 'utf8'));
    expect(installed.version).toBe('0.1.0');
    expect(existsSync(path.join(consumer(), 'node_modules', '.bin', 'create-quickback'))).toBe(true);
    expect(registry.served).toContain('drizzle-kit@0.31.11');
    // The compiler does not carry the generated app's runtime (Better Auth, Hono).
    expect(existsSync(path.join(consumer(), 'node_modules', 'better-auth'))).toBe(false);
  });

  it('npx create-quickback --dry-run --json plans the default project and writes nothing', async () => {
    const out = await npm(['exec', '--', 'create-quickback', 'planned', '--dry-run', '--json'], consumer(), env);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ ok: true, dryRun: true, options: { runtime: 'cloudflare', database: 'cloudflare-d1', template: 'todos', packageManager: 'npm', organizations: true } });
    expect(existsSync(path.join(consumer(), 'planned'))).toBe(false);
  });

  it('npm create quickback with the defaults and --install is runnable at once: npm run dev, /health, sign-up', async () => {
    const apps = path.join(work, 'apps');
    mkdirSync(apps);
    const out = await npm(['create', 'quickback', 'my-app', '--', '--yes', '--install', '--no-git', '--cwd', apps, '--json'], consumer(), env);
    const result = JSON.parse(out.slice(out.search(/^\{/m))); // after npm's "> npx create-quickback" banner
    // Cloudflare + D1 by default: local D1 is migrated by the installed wrangler, after the install.
    expect(result).toMatchObject({ ok: true, steps: ['write', 'compile', 'install', 'migrate'] });
    const root = path.join(apps, 'my-app');
    expect(existsSync(path.join(root, 'node_modules', '@quickback', 'compiler', 'dist', 'quickback.mjs'))).toBe(true);
    expect(existsSync(path.join(root, 'node_modules', 'wrangler', 'package.json'))).toBe(true);

    // wrangler dev serves on wrangler.toml's [dev] port, 8787, and .dev.vars points Better Auth at it.
    expect(await isFree(8787), 'port 8787 (wrangler dev) is taken on this machine').toBe(true);
    const baseURL = 'http://127.0.0.1:8787';
    console.log(`pack e2e: npm run dev on ${baseURL}`);
    const devEnv = { ...env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };
    const dev = spawn('npm', ['run', 'dev'], { cwd: root, env: devEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
    dev.stdout!.on('data', (d) => { log += d; });
    dev.stderr!.on('data', (d) => { log += d; });
    try {
      await waitForHealth(baseURL, dev, () => log);
      const caller = createCaller((request) => fetch(request), baseURL);
      const signUp = await caller.auth.signUp.email({ email: 'first@example.com', password: 'correct-horse-battery', name: 'First' });
      expect(signUp.error, JSON.stringify(signUp.error)).toBeNull();
      expect(signUp.data?.user.email).toBe('first@example.com');
      const session = await caller.auth.getSession();
      expect(session.data?.user.email).toBe('first@example.com');
      expect((await fetch(`${baseURL}/api/v1/todos`)).status).toBe(401);
    } finally {
      await stop(dev);
    }
  }, 600_000);
});

function isFree(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(() => false, () => true);
}

async function waitForHealth(baseURL: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}:\n${log()}`);
    if (await fetch(`${baseURL}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`npm run dev did not serve /health:\n${log()}`);
}

/** `npm run dev` is npm → sh → quickback dev → wrangler dev → workerd: stop the whole process group. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}
