/**
 * @module emitters/hono/print/ids
 * `src/lib/ids.ts`: the id generator for `generateId` (absent for "serial" and false).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines } from '../../print-utils.js';

const BODIES: Record<string, string[]> = {
  uuid: ['/** UUID v4. */', 'export function newId(): string {', '  return crypto.randomUUID();', '}'],
  prefixed: [
    '/** `<prefix>_` + a UUID without dashes, e.g. `tck_550e8400e29b41d4a716446655440000`. */',
    'export function newId(prefix: string): string {',
    '  return `${prefix}_${crypto.randomUUID().replace(/-/g, "")}`;',
    '}',
  ],
  cuid: [
    'import { createId } from "@paralleldrive/cuid2";',
    '',
    '/** CUID2. */',
    'export function newId(): string {',
    '  return createId();',
    '}',
  ],
  nanoid: [
    'import { nanoid } from "nanoid";',
    '',
    '/** 21-character URL-safe nanoid. */',
    'export function newId(): string {',
    '  return nanoid();',
    '}',
  ],
  short: [
    'import { customAlphabet } from "nanoid";',
    '',
    '/** 6 alphanumeric characters (62^6 values: ~50% collision chance at 238k rows; for small tables only). */',
    'const short = customAlphabet("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 6);',
    '',
    'export function newId(): string {',
    '  return short();',
    '}',
  ],
};

export function needsIds(model: AppModel): boolean {
  return model.features.some((f) => f.id.strategy !== false && f.id.strategy !== 'serial');
}

export function printIds(model: AppModel): string {
  const strategy = String(
    model.database.generateId === 'serial' || model.database.generateId === false ? 'uuid' : model.database.generateId,
  );
  return withBanner('ts', model.configFile, lines(...BODIES[strategy]));
}
