/**
 * @module compiler/write/disk-state
 * What the compile cache remembers about each output file it left on disk: its sha256 and its
 * stat identity (size, mtime, ctime, inode). When the stat still matches, the file is what the
 * last compile wrote or verified, so planWrite need not read it. Like git's index, a file whose
 * mtime is not clearly older than the moment it was recorded is "racily clean" and is read
 * anyway, so an edit made in the same clock tick as a compile is never missed.
 */
import { statSync, type Stats } from 'node:fs';
import type { OutputRecord } from '../cache/index.js';
import { resolveInside } from './paths.js';

/** Coarsest mtime granularity we allow for (FAT has 2 s). */
const RACY_MS = 2000;

function identity(stats: Stats): Omit<OutputRecord, 'sha256' | 'recordedAt'> {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

/** The disk file's sha256 as recorded, when its stat proves it unchanged since; otherwise undefined. */
export function knownDiskHash(abs: string, record: OutputRecord | undefined): string | undefined {
  if (!record || record.mtimeMs >= record.recordedAt - RACY_MS) return undefined;
  let stats: Stats;
  try {
    stats = statSync(abs);
  } catch {
    return undefined;
  }
  const now = identity(stats);
  return now.size === record.size && now.mtimeMs === record.mtimeMs && now.ctimeMs === record.ctimeMs
      && now.ino === record.ino
    ? record.sha256
    : undefined;
}

/** A record for a file whose contents (with this sha256) are on disk right now; null when it is gone. */
export function recordOutput(abs: string, sha256: string, recordedAt: number): OutputRecord | null {
  try {
    return { sha256, recordedAt, ...identity(statSync(abs)) };
  } catch {
    return null;
  }
}

/**
 * Records every compiler-owned and history file the plan leaves on disk (after applyPlan). A
 * previous record that still holds (same bytes, same stat, not racy) is kept as it was, so a
 * compile that changed nothing leaves the cache file byte-identical too.
 */
export function recordOutputs(
  root: string,
  files: Record<string, { sha256: string; ownership: string }>,
  previous: Record<string, OutputRecord>,
): Record<string, OutputRecord> {
  const now = Date.now();
  const records: Record<string, OutputRecord> = {};
  for (const [rel, entry] of Object.entries(files)) {
    if (entry.ownership === 'seed') continue;
    const abs = resolveInside(root, rel);
    const old = previous[rel];
    const record = old?.sha256 === entry.sha256 && knownDiskHash(abs, old) === entry.sha256
      ? old
      : recordOutput(abs, entry.sha256, now);
    if (record) records[rel] = record;
  }
  return records;
}
