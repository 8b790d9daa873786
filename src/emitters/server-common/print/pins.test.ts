/**
 * The generated apps' `overrides` / `resolutions` (pins.ts) and their source, pins.json, derived
 * from package-lock.json (lock-pins.ts): the committed file must be what `npm run gen:pins` writes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../../../package.json' with { type: 'json' };
import { derivePins, formatPins, type Lockfile } from './lock-pins.js';
import { familyPins } from './pins.js';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('pins.json', () => {
  it('is what npm run gen:pins derives from package-lock.json', () => {
    const lock = JSON.parse(read('../../../../package-lock.json')) as Lockfile;
    expect(read('./pins.json'), 'pins.json is out of step with package-lock.json: run `npm run gen:pins`').toBe(
      formatPins(derivePins(lock)),
    );
  });

  it('pins what the compiler declares at the version it declares (npm refuses an override unlike a direct dependency: EOVERRIDE)', () => {
    const declared: Record<string, string> = {
      ...pkg.dependencies,
      ...pkg.optionalDependencies,
      ...pkg.devDependencies,
    };
    const pins = JSON.parse(read('./pins.json')) as { packages: Record<string, { version: string }> };
    const clashes = Object.entries(pins.packages).filter(([name, pin]) =>
      declared[name] !== undefined && declared[name] !== pin.version
    );
    expect(clashes).toEqual([]);
  });
});

describe('familyPins', () => {
  const workersApp = ['better-auth', '@better-auth/api-key', 'drizzle-orm', 'hono', 'jose', 'zod'];

  it('pins one version of each package Better Auth, its plugins, Hono and Drizzle pull in', () => {
    const pins = familyPins(workersApp);
    // The plugins' peers (`@better-auth/core ^1.7.5`, better-call 1.4.0, @better-auth/utils 0.4.2)
    // resolve to better-auth's own versions instead of the newest release or an older one.
    expect(pins).toMatchObject({
      'better-auth': pkg.devDependencies['better-auth'],
      '@better-auth/core': pkg.devDependencies['better-auth'],
      'better-call': expect.any(String),
      '@better-auth/utils': expect.any(String),
      '@better-fetch/fetch': expect.any(String),
      kysely: pkg.devDependencies.kysely,
      nanostores: expect.any(String),
      '@noble/hashes': expect.any(String),
      '@noble/ciphers': expect.any(String),
      jose: pkg.devDependencies.jose,
      zod: pkg.dependencies.zod,
      hono: pkg.devDependencies.hono,
      'drizzle-orm': pkg.dependencies['drizzle-orm'],
    });
    // Only this app's part of the graph: no driver it does not use, no plugin it does not have.
    expect(
      Object.keys(pins).filter((name) =>
        /^(pg|@libsql\/|better-sqlite3|@simplewebauthn\/|@hono\/node-server)/.test(name)
      ),
    ).toEqual([]);
    expect(Object.keys(pins)).toEqual(Object.keys(pins).sort());
  });

  it('follows each extra dependency into its own family', () => {
    const base = familyPins(workersApp);
    const passkey = familyPins([...workersApp, '@better-auth/passkey']);
    expect(Object.keys(passkey)).toEqual(
      expect.arrayContaining(['@better-auth/passkey', '@simplewebauthn/server', '@simplewebauthn/browser']),
    );
    const node = familyPins([...workersApp, '@hono/node-server', 'pg']);
    expect(Object.keys(node)).toEqual(expect.arrayContaining(['@hono/node-server', 'pg', 'pg-pool', 'pg-protocol']));
    for (const pins of [passkey, node]) expect(pins).toMatchObject(base);
  });

  it("leaves the user's own dependencies to them (their spec, not an override that would clash with it)", () => {
    const pins = familyPins(workersApp, { zod: '^4.1.0', 'left-pad': '1.3.0' });
    expect(pins).not.toHaveProperty('zod');
    expect(pins).not.toHaveProperty('left-pad');
    expect(pins).toHaveProperty('@better-auth/core');
  });

  it('refuses a dependency pins.json has no graph for', () => {
    expect(() => familyPins([...workersApp, 'left-pad'])).toThrow(/APP_RUNTIME_PACKAGES.*gen:pins/);
  });
});

describe('derivePins', () => {
  const entry = (version: string, more: Record<string, unknown> = {}) => ({ version, ...more });
  const lock: Lockfile = {
    packages: {
      '': entry('0.0.0'),
      'node_modules/app-dep': entry('1.0.0', {
        dependencies: { ranged: '^2.0.0', exact: '3.0.0', twice: '^1.0.0', 'prebuild-install': '^7.1.1' },
        peerDependencies: { peer: '^1.0.0', opt: '*' },
        peerDependenciesMeta: { opt: { optional: true } },
        optionalDependencies: { 'other-os': '1.0.0' },
      }),
      'node_modules/ranged': entry('2.1.0'),
      'node_modules/exact': entry('3.0.0', { dependencies: { deep: '~4.0.0' } }),
      'node_modules/deep': entry('4.0.2'),
      'node_modules/peer': entry('1.2.0'),
      'node_modules/opt': entry('9.9.9'),
      'node_modules/twice': entry('2.0.0'),
      'node_modules/app-dep/node_modules/twice': entry('1.5.0'),
      'node_modules/prebuild-install': entry('7.1.3', { dependencies: { downloader: '^1.0.0' } }),
      'node_modules/downloader': entry('1.0.0'),
      'node_modules/unrelated': entry('5.0.0'),
    },
  };

  it('walks dependencies, required peers and installed optional dependencies the way Node resolves them', () => {
    const { roots, packages } = derivePins(lock, ['app-dep']);
    expect(roots).toEqual(['app-dep']);
    expect(Object.keys(packages)).toEqual(['app-dep', 'deep', 'exact', 'peer', 'prebuild-install', 'ranged', 'twice']);
    expect(packages['app-dep']).toEqual({
      version: '1.0.0',
      requires: ['exact', 'peer', 'prebuild-install', 'ranged', 'twice'],
    });
    expect(packages.ranged).toEqual({ version: '2.1.0', requires: [] });
    expect(packages.deep).toEqual({ version: '4.0.2', requires: [] });
  });

  it('leaves unpinned what its dependents already decide, what the lockfile holds at several versions, and install-time tools (not walked)', () => {
    const { packages } = derivePins(lock, ['app-dep']);
    expect(packages['prebuild-install']).toEqual({ version: '7.1.3', requires: [], unpinned: 'runs at install only' });
    expect(packages.exact.unpinned).toBe('every dependent requires exactly 3.0.0');
    expect(packages.twice.unpinned).toBe('several versions in the lockfile: 1.5.0, 2.0.0');
    expect(packages.peer.unpinned).toBeUndefined();
  });

  it('fails on a root the lockfile does not hold', () => {
    expect(() => derivePins(lock, ['missing'])).toThrow(/missing is not installed/);
  });
});
