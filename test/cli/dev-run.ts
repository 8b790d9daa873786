/**
 * `quickback dev` in a child process (the real bin) for the dev-migrate suites: its log, waiting
 * for a line or a probe, and Ctrl-C. The project's features are edited the way a user saves them.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { signUp } from '../helpers/client.js';
import { REPO } from '../helpers/project.js';

export interface DevProcess {
  log(): string;
  /** Resolves with the probe's value once it is not undefined (errors count as not yet); throws with the log after `ms`. */
  until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms?: number): Promise<T>;
  /** Ctrl-C; resolves with the exit code (null: it had to be killed after 20 s). */
  stop(): Promise<number | null>;
}

export function startDev(root: string, port: number, env: Record<string, string>, args: string[] = []): DevProcess {
  const child = spawn(process.execPath, [
    path.join(REPO, 'bin', 'quickback.js'),
    'dev',
    '--cwd',
    root,
    '--port',
    String(port),
    ...args,
  ], {
    env: { ...process.env, ...env, NO_COLOR: '1', CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    log: () => log,
    async until(what, probe, ms = 90_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) break;
        const value = await Promise.resolve().then(probe).catch(() => undefined);
        if (value !== undefined) return value;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${what} did not happen:\n${log}`);
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGINT');
      // A dev that ignores Ctrl-C fails the test (exit code null) instead of hanging it.
      const stuck = setTimeout(() => child.kill('SIGKILL'), 20_000);
      return exited.finally(() => clearTimeout(stuck));
    },
  };
}

/** Saves a feature file with `from` replaced by `to` (the edit a user makes while dev runs). */
export function edit(root: string, file: string, from: string, to: string): void {
  const full = path.join(root, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: "${from}" not found`);
  writeFileSync(full, text.replace(from, to));
}

export const NOTES = 'quickback/features/notes/notes.ts';
export const ADD_TITLE: [string, string] = [
  '    body: q.text().required(),',
  '    body: q.text().required(),\n    title: q.text().optional(),',
];

export const ok = async (url: string) => ((await fetch(url)).ok ? true : undefined);

/** Any HTTP answer (a 503 while migrations are pending counts): status and JSON body. */
export const answer = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
};

/** Something accepts TCP connections on the port: the server listens (no request reaches the app). */
export const listening = (port: number) => new Promise<true | undefined>((resolve) => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.once('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(undefined));
});

/** Save a title column, use it through the API; save its removal: held back while a row has a title. Returns the note's id. */
export async function addThenDrop(
  dev: DevProcess,
  baseURL: string,
  root: string,
): Promise<{ id: string; caller: Awaited<ReturnType<typeof signUp>> }> {
  await dev.until('GET /health', () => ok(`${baseURL}/health`));
  const alice = await signUp(fetch, baseURL, 'Alice');
  expect((await alice.api('POST', '/api/v1/notes', { body: 'before' })).status).toBe(201);

  edit(root, NOTES, ...ADD_TITLE);
  await dev.until('the new migration applied', () => (/applied \d{4}_alter_notes/.test(dev.log()) ? true : undefined));
  const created = await dev.until('POST with the new column', async () => {
    const response = await alice.api('POST', '/api/v1/notes', { body: 'with a title', title: 'Groceries' });
    return response.status === 201 ? response.body : undefined;
  });
  expect((await alice.api('GET', `/api/v1/notes/${created.id}`)).body).toMatchObject({
    title: 'Groceries',
    body: 'with a title',
  });
  expect(dev.log()).not.toMatch(/no (such )?column/);

  edit(root, NOTES, ADD_TITLE[1], ADD_TITLE[0]);
  // The warning and its hint can reach the pipe in two chunks: wait for the hint's last words.
  await dev.until(
    'QB_DEV_DATA_LOSS and its hint',
    () => (/QB_DEV_DATA_LOSS[\s\S]*meta\/_journal\.json\)/.test(dev.log()) ? true : undefined),
  );
  expect(dev.log()).toMatch(/not applied: \d{4}_alter_notes would delete column notes\.title \(1 row with a value\)/);
  expect(dev.log()).toContain('restart with `npm run dev -- --accept-data-loss`');
  expect(dev.log()).toMatch(
    /Keep the data: put the definition back and delete the unapplied migration from quickback\/drizzle\/features \((\d{4})_alter_notes\.sql, meta\/\1_snapshot\.json and its entry in meta\/_journal\.json\)/,
  );
  expect(dev.log().match(/✔ features: applied \d{4}_alter_notes/g)).toHaveLength(1);
  // The server keeps serving, and says why the API waits: the held-back migration is pending.
  const health = await dev.until('the server still serving', async () => {
    const a = await answer(`${baseURL}/health`);
    return a.status === 503 ? a : undefined;
  });
  expect(health.body).toMatchObject({ database: 'migrations pending' });
  const held = await alice.api('GET', '/api/v1/notes');
  expect(held.status).toBe(503);
  expect(held.body).toMatchObject({ code: 'DATABASE_MIGRATIONS_PENDING' });
  return { id: created.id, caller: alice };
}
