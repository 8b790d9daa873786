/**
 * @module test/seam
 * The owner's seam (issue #32 part 3), outside in. The helpdesk is compiled: quickback/app.ts is
 * seeded (importing `#quickback`), a missing action handler too. The owner then writes their own
 * seam: a middleware and a route reading the signed-in user. Recompiles, one after a definition
 * changed, leave it untouched (the plan never rewrites a seed that exists). The app then answers over real HTTP on 127.0.0.1: on Node (tsx),
 * Bun, and as a Worker under workerd (bundled by esbuild), and in-process through vitest's import;
 * the route sees the user signed in through Better Auth, and without a session it is the runtime's
 * 401 envelope. Every `#quickback` import type-checks (tsc, NodeNext).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/index.js';
import { createCaller, signUp, type FetchLike } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { hasBun, startServer } from '../helpers/server.js';
import { appEnv, compileAndMigrate } from '../helpers/target.js';
import { typecheckApps } from '../helpers/typecheck-apps.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';

const OWNER_SEAM = `import { apiError, type QuickbackApp } from "#quickback";

export default function extend(app: QuickbackApp): void {
  app.use("/api/*", async (c, next) => {
    await next();
    c.header("x-owner", "seam");
  });
  app.get("/api/v1/whoami", (c) => {
    const ctx = c.get("ctx");
    if (!ctx.authenticated) throw apiError("AUTH_MISSING", { hint: "Sign in first." });
    return c.json({ email: ctx.user?.email, userId: ctx.userId, via: c.get("authVia") });
  });
}
`;

const ACTION_DEFINITIONS = 'quickback/features/tickets/actions.ts';
const MISSING_HANDLER = 'quickback/features/tickets/handlers/open-count.ts';

/** A helpdesk copy without one action handler (the compile seeds it) and without the seam (seeded too). */
function ownerProject(label: string, config: [string, string][] = []): string {
  const root = copyFixture('helpdesk', label, { config });
  rmSync(path.join(root, MISSING_HANDLER));
  return root;
}

async function expectSeamServes(fetchImpl: FetchLike, baseURL: string): Promise<void> {
  const anonymous = createCaller(fetchImpl, baseURL);
  const refused = await anonymous.api('GET', '/api/v1/whoami');
  expect(refused.status).toBe(401);
  expect(refused.body).toMatchObject({ code: 'AUTH_MISSING', layer: 'authentication', hint: 'Sign in first.' });
  expect(refused.headers.get('x-owner')).toBe('seam');
  const user = await signUp(fetchImpl, baseURL, 'Owner');
  const me = await user.api('GET', '/api/v1/whoami');
  expect(me.status).toBe(200);
  expect(me.body).toEqual({ email: user.email, userId: user.userId, via: 'session' });
  // The not-found handler still answers after the owner's routes.
  const missing = await user.api('GET', '/api/v1/no-such-route');
  expect(missing.status).toBe(404);
  expect(missing.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
}

describe("the owner's seam, quickback/app.ts", () => {
  let root: string;
  beforeAll(async () => {
    root = ownerProject('seam-node');
    await compileAndMigrate(root, 'better-sqlite3');
  });

  it('is seeded once with an example importing #quickback, and the handler seed imports #quickback', () => {
    const seed = readFileSync(path.join(root, 'quickback/app.ts'), 'utf8');
    expect(seed).toContain("import { apiError, type QuickbackApp } from '#quickback';");
    expect(seed).toContain('export default function extend(app: QuickbackApp): void {');
    expect(readFileSync(path.join(root, MISSING_HANDLER), 'utf8')).toContain(
      "import type { ActionHandler } from '#quickback';",
    );
    expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).imports).toEqual({
      '#quickback': './src/lib/quickback/index.ts',
    });
    expect(readFileSync(path.join(root, 'src/index.ts'), 'utf8')).toContain(
      "import extend from '../quickback/app.js';",
    );
  });

  it('survives recompiles, one after a definition changed', async () => {
    writeFileSync(path.join(root, 'quickback/app.ts'), OWNER_SEAM);
    const again = await compile({ cwd: root });
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const definitions = path.join(root, ACTION_DEFINITIONS);
    const edited = readFileSync(definitions, 'utf8').replace(
      'Count the open tickets of the active organization',
      'How many tickets are open',
    );
    writeFileSync(definitions, edited);
    const changed = await compile({ cwd: root });
    expect(changed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(changed.written).toContain('src/openapi.json'); // the action's description
    expect(changed.written).not.toContain('quickback/app.ts');
    expect(readFileSync(path.join(root, 'quickback/app.ts'), 'utf8')).toBe(OWNER_SEAM);
  });

  it('type-checks: the seam, the seeded and the hand-written handlers through #quickback (tsc, NodeNext)', () => {
    expect(typecheckApps([root]).get(root)).toBe('');
  }, 180_000);

  it("serves the owner's route on Node (tsx) behind the auth chain and the error envelope", async () => {
    const server = await startServer(root, 'node');
    try {
      await expectSeamServes(fetch, server.baseURL);
    } finally {
      await server.stop();
    }
  });

  it('serves it in-process when a test imports the app (vitest resolves #quickback)', async () => {
    const baseURL = 'http://127.0.0.1:3000';
    const { createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href);
    const app = createApp(appEnv(root, baseURL));
    await expectSeamServes(async (request) => app.request(request), baseURL);
  });
});

describe("the owner's seam on Bun", () => {
  it("serves the owner's route behind the auth chain and the error envelope", async () => {
    if (!hasBun()) return;
    const root = ownerProject('seam-bun', [['defineRuntime("node")', 'defineRuntime("bun")']]);
    await compile({ cwd: root });
    writeFileSync(path.join(root, 'quickback/app.ts'), OWNER_SEAM);
    await compileAndMigrate(root, 'better-sqlite3');
    const server = await startServer(root, 'bun');
    try {
      await expectSeamServes(fetch, server.baseURL);
    } finally {
      await server.stop();
    }
  });
});

describe("the owner's seam on Workers (esbuild bundle, workerd)", () => {
  let root: string;
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  beforeAll(async () => {
    root = ownerProject('seam-worker', CLOUDFLARE);
    await compile({ cwd: root });
    writeFileSync(path.join(root, 'quickback/app.ts'), OWNER_SEAM);
    await compile({ cwd: root });
    worker = await startWorker(root);
  });
  afterAll(async () => {
    await worker?.mf.dispose();
  });

  it('type-checks with the Workers types', () => {
    expect(typecheckApps([root]).get(root)).toBe('');
  });

  it("serves the owner's route behind the auth chain and the error envelope", async () => {
    await expectSeamServes(fetch, worker!.baseURL);
  });
});
