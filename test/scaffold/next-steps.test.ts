/**
 * The scaffolder's closing lines (issue #30 part 5): exactly the commands still needed for the
 * chosen target, none it already ran, and a warning (not an error) when a Bun project is created
 * where Bun cannot be found. Before: neon/supabase ended with `npm run dev` alone (sign-up then
 * answered 500: the database did not exist), and a missing bun was first seen as "The dev server
 * exited with code 1". Scaffolds run outside the repository (its node_modules/.bin has the `bun`
 * npm package) with PATH set to a folder of our own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCreate } from './run-create.js';

/** Every folder made under the system temp dir, removed afterwards. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const base = ['--yes', '--no-install', '--no-git'];

function outside(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `qb-next-${label}-`));
  made.push(dir);
  return dir;
}

function pathDir(tools: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qb-next-path-'));
  made.push(dir);
  for (const [name, script] of Object.entries(tools)) writeFileSync(path.join(dir, name), script, { mode: 0o755 });
  return dir;
}

describe('create-quickback: Next lines and missing runtime programs', () => {
  it(
    'neon and supabase: createdb for the database .env names, then db:migrate, before dev; SQLite: migrate was done, so not listed',
    async () => {
      const cwd = outside('pg');
      const neon = await runCreate(['shop-api', ...base, '--runtime', 'node', '--database', 'neon', '--json'], cwd);
      expect(neon.code, neon.stderr).toBe(0);
      expect(JSON.parse(neon.stdout).next).toEqual([
        'cd shop-api',
        'npm install',
        'createdb shop_api',
        'npm run db:migrate',
        'npm run dev',
      ]);
      const sqlite = await runCreate(
        ['lite', ...base, '--runtime', 'node', '--database', 'better-sqlite3', '--json'],
        cwd,
      );
      expect(JSON.parse(sqlite.stdout).next).toEqual(['cd lite', 'npm install', 'npm run dev']);
      // Human output: the same lines under "Next:".
      const human = await runCreate(['pg-human', ...base, '--runtime', 'node', '--database', 'supabase'], cwd);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain(
        'Next:\n  cd pg-human\n  npm install\n  createdb pg_human\n  npm run db:migrate\n  npm run dev',
      );
    },
    60_000,
  );

  it(
    'Bun without bun on PATH: a warning naming bun and how to install it; the project is still created (exit 0); none when bun is found',
    async () => {
      const cwd = outside('bun');
      const missing = await runCreate(['bun-app', ...base, '--runtime', 'bun'], cwd, { PATH: pathDir() });
      expect(missing.code, missing.stderr).toBe(0);
      expect(missing.stderr).toMatch(/warning bun was not found: Bun runs this app/);
      expect(missing.stderr).toContain('https://bun.sh/install');
      expect(missing.stdout).toContain('Created bun-app');

      const json = await runCreate(['bun-json', ...base, '--runtime', 'bun', '--json'], cwd, { PATH: pathDir() });
      expect(JSON.parse(json.stdout).warnings).toEqual([expect.stringContaining('bun was not found')]);

      const found = await runCreate(['bun-found', ...base, '--runtime', 'bun'], cwd, {
        PATH: pathDir({ bun: '#!/bin/sh\nexit 0\n' }),
      });
      expect(found.code, found.stderr).toBe(0);
      expect(found.stderr).not.toContain('bun was not found');
    },
    60_000,
  );
});
