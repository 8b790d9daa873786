/** The project lock on a real folder: exclusion, waiting, QB_LOCK_HELD, stale takeover, cleanup. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../shared/errors.js';
import { acquireLock, generatorWaitMs, LOCK_PATH } from './lock.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'qb-lock-'));
  roots.push(root);
  return root;
}
const lockFile = (root: string) => path.join(root, ...LOCK_PATH.split('/'));
function plant(root: string, holder: Record<string, unknown>): void {
  mkdirSync(path.dirname(lockFile(root)), { recursive: true });
  writeFileSync(
    lockFile(root),
    JSON.stringify({ host: os.hostname(), since: '2026-01-01T00:00:00.000Z', id: 'planted', ...holder }),
  );
}
async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return null;
  } catch (error) {
    return isQuickbackError(error) ? `${error.code}: ${error.message}` : error;
  }
}
/** A pid that no process has any more. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('project lock', () => {
  it('is held by one taker at a time; the others wait their turn', async () => {
    const root = project();
    let inside = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const lock = await acquireLock(root, `taker ${i}`, { waitMs: 20_000 });
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inside -= 1;
      lock!.release();
    }));
    expect(most).toBe(1);
    expect(readdirSync(path.dirname(lockFile(root)))).toEqual([]);
  });

  it('removes the folders it made for itself (a project never compiled stays as it was)', async () => {
    const root = project();
    (await acquireLock(root, 'quickback add feature', { waitMs: 0 }))!.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('names a live holder in QB_LOCK_HELD past the wait, tells the waiter once, and is free after release', async () => {
    const root = project();
    const held = await acquireLock(root, 'quickback add column tickets x:text', { waitMs: 0 });
    const seen: string[] = [];
    expect(await codeOf(acquireLock(root, 'quickback undo', { waitMs: 150, onWait: (h) => seen.push(h.command) })))
      .toMatch(new RegExp(`^QB_LOCK_HELD: .*\`quickback add column tickets x:text\` \\(pid ${process.pid}, since `));
    expect(seen).toEqual(['quickback add column tickets x:text']);
    const waiting = acquireLock(root, 'quickback undo', { waitMs: 20_000 });
    setTimeout(() => held!.release(), 200);
    const next = await waiting;
    expect(next!.waited).toBe(true);
    next!.release();
    expect(existsSync(lockFile(root))).toBe(false);
  });

  it('takes over the lock of a process that is gone, or an unreadable one; a holder on another machine counts as live', async () => {
    const root = project();
    plant(root, { pid: deadPid(), command: 'quickback dev' });
    const taken = await acquireLock(root, 'quickback add view', { waitMs: 0 });
    expect(taken!.waited).toBe(false);
    taken!.release();
    plant(root, { pid: 'x', command: 1 });
    const stale = (Date.now() - 10_000) / 1000;
    spawnSync('touch', ['-d', `@${stale}`, lockFile(root)]);
    (await acquireLock(root, 'quickback add view', { waitMs: 0 }))!.release();
    plant(root, { pid: deadPid(), command: 'quickback dev', host: 'elsewhere' });
    expect(await codeOf(acquireLock(root, 'quickback add view', { waitMs: 0 }))).toMatch(/^QB_LOCK_HELD: /);
  });

  it('stops waiting when aborted (the watcher closing); QUICKBACK_LOCK_WAIT_MS sets the wait', async () => {
    const root = project();
    plant(root, { pid: process.pid, command: 'quickback add column' });
    const stop = new AbortController();
    const waiting = acquireLock(root, 'quickback dev', { waitMs: Infinity, signal: stop.signal });
    setTimeout(() => stop.abort(), 100);
    expect(await waiting).toBeNull();
    expect(generatorWaitMs({ QUICKBACK_LOCK_WAIT_MS: '250' })).toBe(250);
    expect(generatorWaitMs({ QUICKBACK_LOCK_WAIT_MS: 'soon' })).toBe(15_000);
    expect(generatorWaitMs({})).toBe(15_000);
  });
});
