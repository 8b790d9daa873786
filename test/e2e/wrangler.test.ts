/**
 * End to end on Cloudflare with wrangler 4.86.0 itself (offline: CI=true, no metrics): the default
 * create-quickback project (runtime cloudflare + D1) scaffolds and compiles; `quickback migrate`
 * runs `wrangler d1 migrations apply --local`, which accepts the emitted migrations (and finds
 * nothing left the second time); `wrangler dev` on 127.0.0.1 serves it, and Better Auth's own
 * client signs up, creates an organization and does a tenant-scoped CRUD round trip over real
 * HTTP, with an encrypted column stored as ciphertext in local D1; `quickback keys rotate` and
 * `shred` reach that D1 through wrangler; `wrangler deploy --dry-run --outdir` bundles it. A
 * hand-written `defineRuntime("cloudflare")` without options compiles (one warning) to a
 * wrangler.toml whose compatibility date the pinned workerd supports, and `wrangler dev` serves it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { createOrg } from '../helpers/orgs.js';
import { copyFixture, REPO, SECRET } from '../helpers/project.js';
import { freePort } from '../helpers/server.js';
import { runCli } from '../cli/run-cli.js';
import { runCreate, scaffoldDir } from '../scaffold/run-create.js';
import { DEFAULT_COMPATIBILITY_DATE } from '../../src/compiler/model/cloudflare.js';

const WRANGLER = path.join(REPO, 'node_modules', '.bin', 'wrangler');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

function run(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(WRANGLER, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** `wrangler dev --ip 127.0.0.1 --port <port>` in `root`, once it answers /health. */
async function wranglerDev(root: string, port: number): Promise<() => Promise<void>> {
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(WRANGLER, ['dev', '--ip', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
    if (Date.now() > until) {
      await stop();
      throw new Error(`wrangler dev did not answer /health:\n${output}`);
    }
    if (await fetch(`${baseURL}/health`).then((r) => r.ok, () => false)) return stop;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('defineRuntime("cloudflare") without options under wrangler dev', () => {
  let stop: (() => Promise<void>) | undefined;
  afterAll(async () => stop?.());

  it(
    'compiles with one warning to a compatibility date the pinned workerd supports, and wrangler dev serves it',
    async () => {
      const root = copyFixture('helpdesk', 'wrangler-bare', {
        config: [
          ['defineRuntime("node")', 'defineRuntime("cloudflare")'],
          ['defineDatabase("better-sqlite3"', 'defineDatabase("cloudflare-d1"'],
        ],
      });
      const compiled = await runCli(['compile', '--cwd', root]);
      expect(compiled.code, compiled.stderr).toBe(0);
      expect(`${compiled.stdout}${compiled.stderr}`.match(/QB_WARN_DEFAULT_COMPATIBILITY_DATE/g)).toHaveLength(1);
      expect(readFileSync(path.join(root, 'wrangler.toml'), 'utf8')).toContain(
        `compatibility_date = "${DEFAULT_COMPATIBILITY_DATE}"`,
      );
      const migrated = await runCli(['migrate', '--cwd', root]);
      expect(migrated.code, migrated.stderr).toBe(0);
      const port = await freePort();
      const baseURL = `http://127.0.0.1:${port}`;
      writeFileSync(
        path.join(root, '.dev.vars'),
        `BETTER_AUTH_SECRET=${SECRET}\nBETTER_AUTH_URL=${baseURL}\nQUICKBACK_DEV=1\n`,
      );
      stop = await wranglerDev(root, port);
      const ada = await signUp(fetch, baseURL, 'Ada');
      await createOrg(ada, 'Acme');
      expect((await ada.api('POST', '/api/v1/tickets', { title: 'Served' })).status).toBe(201);
    },
    180_000,
  );
});

describe('the default project under wrangler', () => {
  let root: string;

  beforeAll(async () => {
    const cwd = scaffoldDir('wrangler');
    const created = await runCreate(['app', '--yes', '--no-install', '--no-git', '--json'], cwd);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      options: { runtime: 'cloudflare', database: 'cloudflare-d1' },
      steps: ['write', 'compile'],
    });
    root = path.join(cwd, 'app');
    // An encrypted column (seed 003): the generated ENCRYPTION_KEK in .dev.vars serves it.
    const todos = path.join(root, 'quickback', 'features', 'todos', 'todos.ts');
    writeFileSync(
      todos,
      readFileSync(todos, 'utf8').replace(
        '    dueOn: q.date().optional(),',
        '    dueOn: q.date().optional(),\n    notes: q.text().encrypted(),',
      ),
    );
    const compiled = await runCli(['compile', '--cwd', root]);
    expect(compiled.code, compiled.stderr).toBe(0);
  }, 120_000);

  it('applies the emitted migrations to local D1 with wrangler, idempotently', async () => {
    const first = await runCli(['migrate', '--cwd', root, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).results).toEqual([
      { database: 'auth', binding: 'AUTH_DB', local: true },
      { database: 'features', binding: 'DB', local: true },
    ]);
    const again = await run(['d1', 'migrations', 'apply', 'app-features', '--local'], root);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('No migrations to apply');
  }, 120_000);

  /** Rows of a query on the local features D1 (wrangler d1 execute --json). */
  async function d1Json(sql: string): Promise<Record<string, unknown>[]> {
    const result = await run(['d1', 'execute', 'app-features', '--local', '--json', '--command', sql], root);
    if (result.code !== 0) throw new Error(result.output);
    return (JSON.parse(result.output.slice(result.output.indexOf('['))) as { results: Record<string, unknown>[] }[])[0]
      .results;
  }

  describe('wrangler dev', () => {
    let baseURL: string;
    let acme: string;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      const port = await freePort();
      baseURL = `http://127.0.0.1:${port}`;
      const vars = path.join(root, '.dev.vars');
      writeFileSync(vars, readFileSync(vars, 'utf8').replace(/^BETTER_AUTH_URL=.*$/m, `BETTER_AUTH_URL=${baseURL}`));
      const child = spawn(WRANGLER, ['dev', '--ip', '127.0.0.1', '--port', String(port)], {
        cwd: root,
        env: ENV,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
      stop = () =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      const until = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
        if (Date.now() > until) throw new Error(`wrangler dev did not answer /health:\n${output}`);
        if (await fetch(`${baseURL}/health`).then((r) => r.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 90_000);
    afterAll(async () => stop?.());

    it('signs up with Better Auth and round-trips tenant-scoped CRUD over real HTTP', async () => {
      const ada = await signUp(fetch, baseURL, 'Ada');
      const eve = await signUp(fetch, baseURL, 'Eve');
      await createOrg(ada, 'Acme');
      await createOrg(eve, 'Evil');
      const created = await ada.api('POST', '/api/v1/todos', {
        title: 'Ship the Worker',
        notes: 'the launch code is 0000',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ title: 'Ship the Worker', done: false, notes: 'the launch code is 0000' });
      const stored = await d1Json(`SELECT notes FROM todos WHERE id = '${created.body.id}'`);
      expect(stored[0].notes).toMatch(/^qbenc:1:1:/);
      expect((await ada.api('PATCH', `/api/v1/todos/${created.body.id}`, { done: true })).body.done).toBe(true);
      expect((await ada.api('GET', '/api/v1/todos')).body.data.map((t: { id: string }) => t.id)).toEqual([
        created.body.id,
      ]);
      const peek = await eve.api('GET', `/api/v1/todos/${created.body.id}`);
      expect(peek.status).toBe(403);
      expect(peek.body.code).toBe('FIREWALL_NOT_FOUND');
      expect((await eve.api('GET', '/api/v1/todos')).body.data).toEqual([]);
      expect((await eve.api('DELETE', `/api/v1/todos/${created.body.id}`)).body).toEqual(peek.body);
      expect((await ada.api('DELETE', `/api/v1/todos/${created.body.id}`)).status).toBe(200);
      expect((await ada.api('GET', '/api/v1/todos')).body.data).toEqual([]);
      expect((await fetch(`${baseURL}/api/v1/todos`)).status).toBe(401);
      acme = (await d1Json('SELECT org_id FROM org_data_keys'))[0].org_id as string;
    }, 60_000);

    it('quickback keys rotate and shred work on the local D1 database (through wrangler)', async () => {
      const kek = /^ENCRYPTION_KEK=(.+)$/m.exec(readFileSync(path.join(root, '.dev.vars'), 'utf8'))![1];
      const rotated = await runCli(['keys', 'rotate', '--cwd', root, '--json'], {
        ENCRYPTION_KEK: 'ab'.repeat(32),
        ENCRYPTION_KEK_PREVIOUS: kek,
      });
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(JSON.parse(rotated.stdout)).toMatchObject({ rewrapped: 1 });
      const shredded = await runCli(['keys', 'shred', '--org', acme, '--yes', '--cwd', root, '--json']);
      expect(JSON.parse(shredded.stdout)).toMatchObject({ ok: true, removed: 1 });
      expect(await d1Json('SELECT count(*) AS n FROM org_data_keys')).toEqual([{ n: 0 }]);
    }, 120_000);
  });

  it('bundles with wrangler deploy --dry-run', async () => {
    const outdir = path.join(root, '.dry-run');
    const result = await run(['deploy', '--dry-run', '--outdir', outdir], root);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('env.AUTH_DB (app-auth)');
    expect(existsSync(path.join(outdir, 'worker.js'))).toBe(true);
  }, 120_000);
});
