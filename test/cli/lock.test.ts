/**
 * One writer at a time (issue #30 part 3), through the real bin: `quickback compile --watch` runs
 * in a child process while `quickback add column` and `quickback undo` run next to it. The add
 * must leave exactly the bytes it leaves on a copy of the project with no watcher (same files,
 * same migration SQL), its journal must record the migration, and undo must remove that
 * migration again with no reverse (DROP) migration written by the watcher. The race depends on
 * timing, so it is run several times. Twice more with `quickback dev`: the generator's files are
 * again those it writes alone, dev applies the migration the generator wrote (its watcher run after
 * the lock writes nothing), so undo keeps that applied migration and writes its reverse, which dev
 * applies too. Then the lock itself: a live holder makes a generator wait
 * (and, past QUICKBACK_LOCK_WAIT_MS, fail with QB_LOCK_HELD naming it); a dead one is taken over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/compiler/write/lock.js';
import { copyFixture, REPO } from '../helpers/project.js';
import { freePort, waitForHealth } from '../helpers/server.js';
import { appEnv, compileAndMigrate } from '../helpers/target.js';
import { contents, runCli, tree } from './run-cli.js';

const TICKETS = 'quickback/features/tickets/tickets.ts';
const JOURNAL = 'quickback/.quickback/journal.json';
const LOCK = 'quickback/.quickback/lock';
const MIGRATION = /^quickback\/drizzle\/features\/\d{4}_.*\.sql$/;

interface RunLine {
  run: number;
  trigger: string[];
  ok: boolean;
  written: string[];
  deleted: string[];
}

/** `quickback compile --watch --json` in a child process, collecting one line per run. */
function startWatch(root: string): { child: ChildProcess; runs: RunLine[]; stderr: () => string } {
  const child = spawn(process.execPath, [
    path.join(REPO, 'bin', 'quickback.js'),
    'compile',
    '--watch',
    '--json',
    '--cwd',
    root,
  ], {
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const runs: RunLine[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) runs.push(JSON.parse(line) as RunLine);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  children.push(child);
  return { child, runs, stderr: () => stderr };
}

const children: ChildProcess[] = [];
const roots: string[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, ready: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits past the debounce until the watcher has had no new run for 1.5 s. */
async function settled(runs: RunLine[]): Promise<void> {
  for (let seen = -1; seen !== runs.length;) {
    seen = runs.length;
    await sleep(1500);
  }
}

const files = (result: { stdout: string }) => {
  const json = JSON.parse(result.stdout) as {
    files: { path: string }[];
    compiled: { written: string[]; deleted: string[] };
  };
  return { edited: json.files.map((f) => f.path), written: json.compiled.written, deleted: json.compiled.deleted };
};

function project(label: string): string {
  const root = copyFixture('helpdesk', label);
  roots.push(root);
  return root;
}

describe('the project lock: generators, undo and the watcher', () => {
  it(
    'add column and undo while compile --watch runs: the same bytes as alone, the migration journaled, undone without a DROP (5 times)',
    async () => {
      const root = project('lock-race');
      expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
      const alone = `${root}-alone`;
      roots.push(alone);
      cpSync(root, alone, { recursive: true });
      const original = contents(root);
      const watch = startWatch(root);
      await until('the first watch run', () => watch.runs.length === 1);
      expect(watch.runs[0].ok, watch.stderr()).toBe(true);

      for (let i = 1; i <= 5; i += 1) {
        console.log(`lock race: iteration ${i}`);
        const args = ['add', 'column', 'tickets', `nickname${i}:text:optional`, '--json'];
        const expected = await runCli([...args, '--cwd', alone]);
        expect(expected.code, expected.stderr).toBe(0);
        const before = watch.runs.length;
        const added = await runCli([...args, '--cwd', root]);
        expect(added.code, added.stderr).toBe(0);
        expect(files(added)).toEqual(files(expected));
        const migration = files(added).written.find((rel) => MIGRATION.test(rel));
        expect(migration, added.stdout).toBeDefined();
        await settled(watch.runs);
        expect(watch.runs.length, `iteration ${i}: the watcher ran for the edit`).toBeGreaterThan(before);
        expect(
          watch.runs.slice(before).map((r) => [...r.written, ...r.deleted]).flat(),
          `iteration ${i}: the watcher wrote nothing`,
        ).toEqual([]);
        expect(existsSync(path.join(root, LOCK))).toBe(false);
        expect(contents(root)).toEqual(contents(alone));
        const journal = JSON.parse(readFileSync(path.join(root, JOURNAL), 'utf8')) as {
          runs: { command: string; files: { path: string }[] }[];
        };
        expect(journal.runs.at(-1)!.files.map((f) => f.path)).toContain(migration);

        const afterAdd = watch.runs.length;
        const undone = await runCli(['undo', '--cwd', root, '--json']);
        expect(undone.code, undone.stderr).toBe(0);
        expect(JSON.parse(undone.stdout).messages.join('\n')).toContain(
          `${migration} was never applied to the local database: removed`,
        );
        await settled(watch.runs);
        expect(
          watch.runs.slice(afterAdd).map((r) => [...r.written, ...r.deleted]).flat(),
          `iteration ${i}: no reverse migration`,
        ).toEqual([]);
        expect(existsSync(path.join(root, migration!))).toBe(false);
        expect(contents(root)).toEqual(original);
        expect((await runCli(['undo', '--cwd', alone])).code).toBe(0);
      }
      expect(watch.runs.every((r) => r.ok), watch.stderr()).toBe(true);
      watch.child.kill('SIGINT');
    },
    300_000,
  );

  it(
    "add column and undo while quickback dev runs (watcher and server): the same files as alone, dev applies the generator's migration, undo reverses it",
    async () => {
      const root = project('lock-dev');
      await compileAndMigrate(root, 'better-sqlite3');
      const alone = `${root}-alone`;
      roots.push(alone);
      const notData = (rel: string) => rel.startsWith('data/');
      const definitions = (rel: string) => !rel.startsWith('quickback/features/');
      const original = contents(root, definitions);
      const port = await freePort();
      const baseURL = `http://127.0.0.1:${port}`;
      const child = spawn(process.execPath, [
        path.join(REPO, 'bin', 'quickback.js'),
        'dev',
        '--cwd',
        root,
        '--port',
        String(port),
      ], {
        env: { ...process.env, ...appEnv(root, baseURL), NO_COLOR: '1', CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let log = '';
      child.stdout!.on('data', (d) => (log += d));
      child.stderr!.on('data', (d) => (log += d));
      await waitForHealth(baseURL, child, () => log, 60_000);
      const runs = () =>
        [...log.matchAll(/run (\d+) \(([^)]*)\): (\d+) written, (\d+) deleted/g)].map((m) => ({
          run: Number(m[1]),
          writes: Number(m[3]) + Number(m[4]),
        }));
      const quietRuns = async () => {
        for (let seen = -1; seen !== runs().length;) {
          seen = runs().length;
          await sleep(1500);
        }
      };
      const applied = async (tag: string) => {
        for (let waited = 0; !log.includes(`applied ${tag}`); waited += 200) {
          if (waited > 30_000) throw new Error(`dev did not apply ${tag}:\n${log}`);
          await sleep(200);
        }
      };
      const tag = (rel: string) => path.basename(rel, '.sql');

      for (let i = 1; i <= 2; i += 1) {
        console.log(`lock with dev: iteration ${i}`);
        rmSync(alone, { recursive: true, force: true });
        cpSync(root, alone, { recursive: true });
        const args = ['add', 'column', 'tickets', `devcol${i}:text:optional`, '--json'];
        const expected = await runCli([...args, '--cwd', alone]);
        const before = runs().length;
        const added = await runCli([...args, '--cwd', root]);
        expect(added.code, added.stderr).toBe(0);
        expect(files(added)).toEqual(files(expected));
        const migration = files(added).written.find((rel) => MIGRATION.test(rel))!;
        expect(migration).toBeDefined();
        await quietRuns();
        expect(runs().slice(before).map((r) => r.writes), log).toEqual(runs().slice(before).map(() => 0));
        expect(contents(root, notData)).toEqual(contents(alone, notData));
        const journal = JSON.parse(readFileSync(path.join(root, JOURNAL), 'utf8')) as {
          runs: { files: { path: string }[] }[];
        };
        expect(journal.runs.at(-1)!.files.map((f) => f.path)).toContain(migration);
        // The generator wrote the migration, not the watcher: dev applies it all the same.
        await applied(tag(migration));

        const afterAdd = runs().length;
        const undone = await runCli(['undo', '--cwd', root, '--json']);
        expect(undone.code, undone.stderr).toBe(0);
        expect(JSON.parse(undone.stdout).messages[1]).toBe(
          `${migration} is kept (the local features database has applied it); the compile adds a migration that reverses it`,
        );
        await quietRuns();
        expect(runs().slice(afterAdd).map((r) => r.writes), log).toEqual(runs().slice(afterAdd).map(() => 0));
        expect(existsSync(path.join(root, migration))).toBe(true);
        const reverse = `quickback/drizzle/features/${readdirSync(path.join(root, 'quickback/drizzle/features')).filter(
          (f) => f.endsWith('.sql'),
        ).sort().at(-1)!}`;
        expect(reverse > migration).toBe(true);
        expect(readFileSync(path.join(root, reverse), 'utf8')).toContain(`devcol${i}`);
        await applied(tag(reverse));
        expect(contents(root, definitions)).toEqual(original);
      }
      await waitForHealth(baseURL, child, () => log, 30_000);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    },
    300_000,
  );

  it(
    "a generator waits for a live holder, fails with QB_LOCK_HELD past the wait, and takes over a dead holder's lock",
    async () => {
      const root = project('lock-holder');
      expect((await runCli(['compile', '--cwd', root])).code).toBe(0);

      // Held by this process: the generator waits, and goes on once the lock is released.
      const held = await acquireLock(root, 'quickback test holder', { waitMs: 0 });
      const child = spawn(process.execPath, [
        path.join(REPO, 'bin', 'quickback.js'),
        'add',
        'column',
        'tickets',
        'waited:text:optional',
        '--cwd',
        root,
      ], {
        env: { ...process.env, NO_COLOR: '1', CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await until('the generator to wait', () => stderr.includes('Waiting for `quickback test holder`'));
      expect(readFileSync(path.join(root, TICKETS), 'utf8')).not.toContain('waited');
      held!.release();
      expect(await exited, stderr).toBe(0);
      expect(readFileSync(path.join(root, TICKETS), 'utf8')).toContain('waited');

      // Held by a live process past the wait: a coded error naming the holder, nothing written.
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      children.push(holder);
      const lockFile = path.join(root, ...LOCK.split('/'));
      mkdirSync(path.dirname(lockFile), { recursive: true });
      writeFileSync(
        lockFile,
        `${
          JSON.stringify({
            pid: holder.pid,
            host: os.hostname(),
            command: 'quickback dev',
            since: '2026-01-01T00:00:00.000Z',
            id: 'test',
          })
        }\n`,
      );
      const files = tree(root);
      const refused = await runCli(['add', 'column', 'tickets', 'refused:text:optional', '--cwd', root, '--json'], {
        QUICKBACK_LOCK_WAIT_MS: '300',
      });
      expect(refused.code).toBe(1);
      const error = JSON.parse(refused.stdout).error as { code: string; message: string; hint: string };
      expect(error.code).toBe('QB_LOCK_HELD');
      expect(error.message).toContain(`\`quickback dev\` (pid ${holder.pid}`);
      expect(error.hint).toContain('quickback/.quickback/lock');
      expect(tree(root)).toEqual(files);

      // Its process is gone: the lock is stale and taken over.
      const gone = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await gone;
      const taken = await runCli(['add', 'column', 'tickets', 'taken:text:optional', '--cwd', root], {
        QUICKBACK_LOCK_WAIT_MS: '300',
      });
      expect(taken.code, taken.stderr).toBe(0);
      expect(readFileSync(path.join(root, TICKETS), 'utf8')).toContain('taken');
      expect(existsSync(lockFile)).toBe(false);
    },
    120_000,
  );
});
