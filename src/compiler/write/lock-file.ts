/**
 * @module compiler/write/lock-file
 * The lock file itself (compiler/write/lock): who holds it, whether that process still runs,
 * creating it in one step, and moving a dead holder's lock out of the way.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  id: string;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

export function readHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.command === 'string' ? holder : null;
  } catch {
    return null;
  }
}

/** Whether the holder's process still runs (a lock from another machine is assumed live). */
export function isLive(holder: LockHolder | null): boolean {
  if (!holder) return false;
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

export const describeHolder = (holder: LockHolder) =>
  `\`${holder.command}\` (pid ${holder.pid}, since ${holder.since})`;

/** Moves a dead holder's lock aside and deletes it; a live lock moved by mistake is put back. */
export function takeOver(file: string): void {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  // Another process may have taken the lock over between our read and our rename.
  if (isLive(readHolder(aside))) {
    try {
      fs.linkSync(aside, file);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
    }
  }
  fs.rmSync(aside, { force: true });
}

/** Creates the lock with `text` in one step; false when it exists. */
export function create(file: string, temp: string, text: string): boolean {
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(code(error) ?? '')) throw error;
  }
  // No hard links on this file system: exclusive create, then write (readers allow for the gap).
  try {
    fs.writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    throw error;
  }
}

/** A lock being written right now (no hard links) has no holder yet but is no older than this. */
const FRESH_MS = 2000;
export const fresh = (file: string) => {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < FRESH_MS;
  } catch {
    return false;
  }
};
