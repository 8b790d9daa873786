/**
 * @module compiler/write/manifest
 * `quickback/.quickback/manifest.json`: what the last successful compile wrote (hash, emitter and
 * ownership per file) and from which inputs. Serialised deterministically (sorted keys, 2-space
 * indent, trailing newline) so an unchanged compile leaves it byte-identical.
 */
import path from 'node:path';
import { z } from 'zod';
import type { Ownership } from '../emit/contract.js';
import { QuickbackError } from '../../shared/errors.js';
import { readText } from './fs.js';
import { MANIFEST_PATH, compareStrings, tryNormalizeRelPath } from './paths.js';

export interface ManifestEntry {
  sha256: string;
  emitter: string;
  ownership: Ownership;
}

export interface Manifest {
  manifestVersion: 2;
  /** Version of the compiler that wrote it. */
  compiler: string;
  /**
   * The project files the output was built from, sorted. Paths only (version 1 also recorded their
   * hashes): a comment-only edit to a definition then changes no file at all, the manifest included.
   */
  inputs: string[];
  /** Project-relative output path → what was written there. */
  files: Record<string, ManifestEntry>;
}

const manifestSchema = z.object({
  manifestVersion: z.union([z.literal(1), z.literal(2)]),
  compiler: z.string(),
  // Version 1 (path → sha256) is read as its list of paths; the next compile writes version 2.
  inputs: z.union([
    z.array(z.string()),
    z.record(z.string(), z.string()).transform((record) => Object.keys(record).sort(compareStrings)),
  ]),
  files: z.record(
    z.string(),
    z.object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      emitter: z.string(),
      ownership: z.enum(['compiler', 'seed', 'history']),
    }),
  ),
});

const HINT = 'delete it and run quickback compile --force';

function invalid(reason: string, cause?: unknown): QuickbackError {
  return new QuickbackError('QB_WRITE_MANIFEST_INVALID', `${MANIFEST_PATH} ${reason}`, {
    file: MANIFEST_PATH,
    hint: HINT,
    cause,
  });
}

/** Parses and validates manifest text; throws QB_WRITE_MANIFEST_INVALID when it is unusable. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid('is not valid JSON', err);
  }
  if (
    typeof json === 'object' && json !== null && 'manifestVersion' in json && json.manifestVersion !== 1
    && json.manifestVersion !== 2
  ) {
    throw invalid(
      `has manifestVersion ${JSON.stringify(json.manifestVersion)}, which this compiler does not understand`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      `is malformed${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`,
      parsed.error,
    );
  }
  for (const file of Object.keys(parsed.data.files)) {
    // A tampered path must never let the writer delete outside the project.
    if (tryNormalizeRelPath(file) !== file)
      throw invalid(`lists a file outside the project or not normalised: ${JSON.stringify(file)}`);
  }
  return { ...parsed.data, manifestVersion: 2 };
}

/** The manifest on disk and its exact text, or nulls when there is none yet. */
export async function readManifest(root: string): Promise<{ manifest: Manifest | null; text: string | null }> {
  const text = await readText(path.join(root, ...MANIFEST_PATH.split('/')), MANIFEST_PATH);
  return text === null ? { manifest: null, text: null } : { manifest: parseManifest(text), text };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort(compareStrings).map((key) => [key, sortKeys(record[key])]));
}

/** Deterministic text: keys sorted at every level, 2-space indent, trailing newline. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(sortKeys(manifest), null, 2)}\n`;
}
