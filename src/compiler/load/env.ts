/**
 * @module compiler/load/env
 * Reads the app's `.env` (Node, Bun) or `.dev.vars` (Workers, as wrangler dev does) the way the
 * generated app does: the process environment wins.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export function readAppEnv(
  appRoot: string,
  fileName: '.env' | '.dev.vars' = '.env',
): Record<string, string | undefined> {
  const file = path.join(appRoot, fileName);
  const fromFile = existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  return { ...fromFile, ...process.env };
}
