/**
 * The published path, as a user meets it: both packages are packed with `npm pack` and served by a
 * loopback registry that forwards everything else to the real one (registry.ts), with an empty npm
 * cache of its own and --prefer-online, and no lockfile anywhere. `npm create quickback` scaffolds
 * - the default app (Cloudflare + D1) with --install: one version of each package of the Better
 *   Auth / Hono / Drizzle family, `npm run typecheck` passes, and `npm run dev -- --port N`
 *   (wrangler dev on a free port) serves /health and lets Better Auth's own client sign up;
 * - a Node app (API keys, admin, then passkey added to its config and compiled) and a Bun app,
 *   resolved only (`npm install --package-lock-only`): one version of each there too.
 * Needs https://registry.npmjs.org: without it the file says so and is skipped, or fails under CI.
 * better-sqlite3's binary (GitHub) is the one thing taken from the repository (betterSqlitePrebuild).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../helpers/client.js';
import { REPO } from '../helpers/project.js';
import { requires } from '../helpers/requires.js';
import { freePort } from '../helpers/server.js';
import {
  betterSqlitePrebuild,
  createResult,
  devHealthy,
  npm,
  outsideEnv,
  pack,
  resolvedVersions,
  run,
  runDev,
} from './npm.js';
import { registryProblem, startRegistry, type Registry } from './registry.js';

const problem = await registryProblem();
const online = requires('The npm registry', problem === undefined, `${problem}; the pack test resolves against it`);

/** Packages of which two versions break the app (types that no longer match, two Better Auth cores). */
const FAMILY = /^(better-auth|@better-auth\/.+|better-call|@better-fetch\/fetch|kysely|drizzle-orm|hono)$/;
const RESOLVE_ONLY: Array<[name: string, flags: string[]]> = [
  ['node-app', ['--runtime', 'node', '--auth-plugins', 'apiKey,admin']],
  ['bun-app', ['--runtime', 'bun']],
];

type Settled = { ok: true } | { ok: false; error: unknown };
const settle = (work: Promise<unknown>): Promise<Settled> =>
  work.then(() => ({ ok: true as const }), (error: unknown) => ({ ok: false as const, error }));
const rethrow = (settled: Settled) => {
  if (!settled.ok) throw settled.error;
};

function expectOneOfEach(app: string): Map<string, string[]> {
  const versions = resolvedVersions(path.join(app, 'package-lock.json'));
  const manifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    overrides: Record<string, string>;
  };
  expect([...versions].filter(([name, found]) => FAMILY.test(name) && found.length > 1), `${app}: duplicated`).toEqual(
    [],
  );
  // Each pinned package resolved once, to its pin; better-auth's own core serves the plugins too.
  expect(
    Object.entries(manifest.overrides).filter(([name, pin]) => versions.get(name)?.join() !== pin),
    `${app}: pins not held`,
  ).toEqual([]);
  expect(versions.get('@better-auth/core')).toEqual([manifest.dependencies['better-auth']]);
  return versions;
}

describe.runIf(online)('npm pack → npm create quickback, resolved from the registry without a lockfile', () => {
  const timings: Array<[phase: string, seconds: number]> = [];
  const timed = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    try {
      return await run();
    } finally {
      timings.push([phase, (Date.now() - start) / 1000]);
    }
  };
  let work: string;
  let apps: string;
  let registry: Registry;
  let env: NodeJS.ProcessEnv;
  let installed: Promise<Settled>;
  let resolved: Promise<Settled>;
  const started = Date.now();
  /** Where `npm create quickback` installed create-quickback and the compiler (npx's cache). */
  const npxInstall = () => {
    const npx = path.join(work, 'npm-cache', '_npx');
    const installs = readdirSync(npx).map((hash) => path.join(npx, hash, 'node_modules')).filter((dir) =>
      existsSync(path.join(dir, 'create-quickback'))
    );
    expect(installs).toHaveLength(1);
    return installs[0];
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'quickback-pack-'));
    apps = path.join(work, 'apps');
    mkdirSync(path.join(work, 'tarballs'));
    mkdirSync(apps);
    const quiet = {
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'warn',
    };
    const packed = await timed(
      'npm pack (both packages)',
      () =>
        pack([REPO, path.join(REPO, 'packages', 'create-quickback')], path.join(work, 'tarballs'), {
          ...outsideEnv(),
          ...quiet,
        }),
    );
    registry = await startRegistry(packed);
    env = {
      ...outsideEnv(),
      ...quiet,
      npm_config_registry: registry.url,
      npm_config_replace_registry_host: 'never',
      npm_config_cache: path.join(work, 'npm-cache'),
      npm_config_prefer_online: 'true',
      npm_config_yes: 'true',
      ...await betterSqlitePrebuild(path.join(work, 'prebuilds')),
    };
    console.log(`pack test: ${work}, registry ${registry.url} (forwarding to the real one)`);
    // One at a time: the first one installs create-quickback (and the compiler) into npx's cache.
    await timed('npm create quickback, node + bun apps (--no-install; npx installs the scaffolder)', async () => {
      for (const [name, flags] of RESOLVE_ONLY)
        await npm(
          ['create', 'quickback', name, '--', '--yes', ...flags, '--no-install', '--no-git', '--cwd', apps, '--json'],
          work,
          env,
        );
    });
    // passkey is not a scaffolder choice: added the way a user adds it, in the config, then compiled.
    const config = path.join(apps, 'node-app', 'quickback', 'quickback.config.ts');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('plugins: ["apiKey", "admin"]', 'plugins: ["apiKey", "admin", "passkey"]'),
    );
    const quickback = path.join(npxInstall(), '@quickback', 'compiler', 'bin', 'quickback.js');
    await timed(
      'quickback compile (node app + passkey)',
      () => run(process.execPath, [quickback, 'compile', '--cwd', path.join(apps, 'node-app')], work, env),
    );
    // At once: the default app's full install, and the other apps' resolutions.
    installed = settle(timed('npm create quickback my-app -- --yes --install', async () => {
      const out = await npm(
        ['create', 'quickback', 'my-app', '--', '--yes', '--install', '--no-git', '--cwd', apps, '--json'],
        work,
        env,
      );
      // Cloudflare + D1 by default: local D1 is migrated by the installed wrangler, after the install.
      expect(createResult(out)).toMatchObject({ ok: true, steps: ['write', 'compile', 'install', 'migrate'] });
    }));
    resolved = settle(
      timed(
        'npm install --package-lock-only (node + bun apps, in parallel)',
        () =>
          Promise.all(
            RESOLVE_ONLY.map(([name]) => npm(['install', '--package-lock-only'], path.join(apps, name), env)),
          ),
      ),
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all([installed, resolved]);
    await registry?.close();
    timings.push(['whole file', (Date.now() - started) / 1000]);
    console.log(
      `pack test timings (s), ${registry?.forwarded() ?? 0} requests forwarded:\n${
        timings.map(([phase, s]) => `  ${s.toFixed(1).padStart(6)}  ${phase}`).join('\n')
      }`,
    );
    if (registry?.failures.length) console.log(`pack test: forwarding failed for\n  ${registry.failures.join('\n  ')}`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(
    "served both tarballs; the scaffolder does not carry the app's runtime; --dry-run --json plans the default app",
    async () => {
      expect(registry.served).toEqual(expect.arrayContaining(['@quickback/compiler@0.1.0', 'create-quickback@0.1.0']));
      const scaffolder = npxInstall();
      expect(JSON.parse(readFileSync(path.join(scaffolder, '@quickback', 'compiler', 'package.json'), 'utf8')).version)
        .toBe('0.1.0');
      expect(['better-auth', 'hono'].filter((name) => existsSync(path.join(scaffolder, name)))).toEqual([]);
      const result = createResult(
        await timed(
          'npx create-quickback --dry-run --json',
          () => npm(['exec', '--', 'create-quickback', 'planned', '--dry-run', '--json'], apps, env),
        ),
      );
      expect(result).toMatchObject({
        ok: true,
        dryRun: true,
        options: {
          runtime: 'cloudflare',
          database: 'cloudflare-d1',
          template: 'todos',
          packageManager: 'npm',
          organizations: true,
        },
      });
      expect(existsSync(path.join(apps, 'planned'))).toBe(false);
    },
    120_000,
  );

  it('resolves the Node app (API keys, admin, passkey) and the Bun app to one version of each', async () => {
    rethrow(await resolved);
    const node = expectOneOfEach(path.join(apps, 'node-app'));
    expect(
      ['@better-auth/api-key', '@better-auth/passkey', '@simplewebauthn/server', '@hono/node-server', 'better-sqlite3']
        .filter((name) => !node.has(name)),
    ).toEqual([]);
    const bun = expectOneOfEach(path.join(apps, 'bun-app'));
    expect(bun.has('@better-auth/passkey')).toBe(false);
  }, 300_000);

  it('installs the default app with one version of each, and it type-checks', async () => {
    rethrow(await installed);
    const app = path.join(apps, 'my-app');
    expect(existsSync(path.join(app, 'node_modules', '@quickback', 'compiler', 'dist', 'quickback.mjs'))).toBe(true);
    expect(expectOneOfEach(app).get('@better-auth/api-key')).toHaveLength(1);
    const out = await timed('npm run typecheck (my-app)', () => npm(['run', 'typecheck'], app, env)); // tsc exits non-zero on any error
    expect(out).not.toMatch(/error TS/);
  }, 300_000);

  it("npm run dev -- --port <free port> serves /health and Better Auth's client signs up", async () => {
    rethrow(await installed);
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const dev = runDev(path.join(apps, 'my-app'), port, { ...env, CI: 'true', WRANGLER_SEND_METRICS: 'false' });
    try {
      await timed(`npm run dev -- --port ${port} until /health`, () => devHealthy(baseURL, dev));
      const caller = createCaller((request) => fetch(request), baseURL);
      const signUp = await caller.auth.signUp.email({
        email: 'first@example.com',
        password: 'correct-horse-battery',
        name: 'First',
      });
      expect(signUp.error, JSON.stringify(signUp.error)).toBeNull();
      expect(signUp.data?.user.email).toBe('first@example.com');
      expect((await caller.auth.getSession()).data?.user.email).toBe('first@example.com');
      expect((await fetch(`${baseURL}/api/v1/todos`)).status).toBe(401);
    } finally {
      await dev.stop();
    }
  }, 180_000);
});
