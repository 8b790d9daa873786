/**
 * @module compiler/write/lock
 * One writer at a time: `quickback/.quickback/lock` names the process that is changing the project
 * (a generator or `undo` for its whole edit + compile + journal, the watcher for one run). It is
 * created complete and atomically (written to a temp file, then hard-linked into place, which fails
 * when the lock exists). A lock whose process is gone (crash, kill -9) is taken over. Waiting is
 * polling: the holders are short-lived (one compile), so a generator waits a little and then fails
 * with QB_LOCK_HELD naming the holder; the watcher waits for as long as it takes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QuickbackError } from '../../shared/errors.js';
import { create, describeHolder, fresh, isLive, readHolder, takeOver, type LockHolder } from './lock-file.js';

export { describeHolder, type LockHolder } from './lock-file.js';

export const LOCK_PATH = 'quickback/.quickback/lock';
/** How long a generator waits for the lock by default; QUICKBACK_LOCK_WAIT_MS overrides it. */
export const DEFAULT_WAIT_MS = 15_000;
const POLL_MS = 50;

export interface AcquireOptions {
  /** Milliseconds to wait for a live holder before QB_LOCK_HELD (Infinity: until it is free). */
  waitMs: number;
  /** Called once, when the lock is found held by a live process. */
  onWait?(holder: LockHolder): void;
  /** Aborting stops the wait: acquireLock resolves null. */
  signal?: AbortSignal;
}

export interface ProjectLock {
  /** True when another process held the lock first and this one waited for it. */
  waited: boolean;
  release(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the project lock for `command`, waiting up to `waitMs` for a live holder. Resolves null
 * only when `signal` aborted the wait. Throws QB_LOCK_HELD, or QB_WRITE_FAILED when the lock file
 * cannot be written at all.
 */
export async function acquireLock(root: string, command: string, options: AcquireOptions): Promise<ProjectLock | null> {
  const file = path.join(root, ...LOCK_PATH.split('/'));
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    command,
    since: new Date().toISOString(),
    id: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(me)}\n`;
  const temp = `${file}.${me.id}.tmp`;
  const deadline = Date.now() + options.waitMs;
  let waited = false;
  let created: string | undefined;
  try {
    created = fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, text);
    for (;;) {
      if (create(file, temp, text)) return { waited, release: () => release(file, me, created) };
      const holder = readHolder(file);
      if (!isLive(holder) && !(holder === null && fresh(file))) {
        takeOver(file);
        continue;
      }
      if (!waited && holder) options.onWait?.(holder);
      waited = true;
      if (options.signal?.aborted) return null;
      if (Date.now() >= deadline) {
        throw new QuickbackError(
          'QB_LOCK_HELD',
          `Another quickback command is changing this project: ${
            holder ? describeHolder(holder) : 'a process starting up'
          }`,
          {
            file: LOCK_PATH,
            hint:
              'Wait for it to finish and run this command again. If no such process is running, delete quickback/.quickback/lock.',
          },
        );
      }
      await sleep(POLL_MS);
    }
  } catch (error) {
    if (error instanceof QuickbackError) throw error;
    throw new QuickbackError(
      'QB_WRITE_FAILED',
      `Could not take the project lock ${LOCK_PATH}: ${error instanceof Error ? error.message : String(error)}`,
      { file: LOCK_PATH, cause: error },
    );
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** `created`: the first folder acquireLock made for the lock, if any; it goes again when empty. */
function release(file: string, me: LockHolder, created: string | undefined): void {
  if (readHolder(file)?.id === me.id) fs.rmSync(file, { force: true });
  for (let dir = path.dirname(file); created && dir.length >= created.length; dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty (a journal or the cache is there now): it stays
    }
  }
}

/** The wait for a generator: QUICKBACK_LOCK_WAIT_MS when set to a number, else DEFAULT_WAIT_MS. */
export function generatorWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.QUICKBACK_LOCK_WAIT_MS);
  return env.QUICKBACK_LOCK_WAIT_MS !== undefined && Number.isFinite(given) && given >= 0 ? given : DEFAULT_WAIT_MS;
}
