/**
 * `quickback dev` when the program its runtime's dev server needs is missing (issue #30 part 5):
 * bun on Bun, wrangler on Cloudflare. Before: "The dev server exited with code 1" and nothing
 * else; now QB_DEV_TOOL_MISSING names the program and how to install it, exit 1, no stack.
 * The projects live outside the repository (its node_modules/.bin holds the `bun` npm package and
 * wrangler, which `quickback dev` finds from the app folder upwards), and PATH is a folder of
 * our own: empty, or holding a stand-in `bun` that exits 3 (then the old message stands).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../helpers/project.js';
import { runCli } from './run-cli.js';

/** Every folder made under the system temp dir, removed afterwards. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const STACK = /\n\s+at [^\n]+:\d+:\d+/;

function project(runtime: string, database: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'qb-dev-tools-'));
  made.push(root);
  cpSync(fixtureDir('solo'), root, { recursive: true });
  const config = path.join(root, 'quickback', 'quickback.config.ts');
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace('defineRuntime("node")', runtime).replace('defineDatabase("libsql"', database),
  );
  return root;
}

function pathDir(tools: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qb-dev-path-'));
  made.push(dir);
  for (const [name, script] of Object.entries(tools)) writeFileSync(path.join(dir, name), script, { mode: 0o755 });
  return dir;
}

describe('quickback dev: a missing runtime program is named with how to install it', () => {
  it(
    'Bun without bun: QB_DEV_TOOL_MISSING naming bun and its install command; a bun that runs and fails keeps its exit code',
    async () => {
      const root = project('defineRuntime("bun")', 'defineDatabase("libsql"');
      const missing = await runCli(['dev', '--cwd', root], { PATH: pathDir() });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('QB_DEV_TOOL_MISSING');
      expect(missing.stderr).toMatch(/bun was not found/);
      expect(missing.stderr).toContain('https://bun.sh/install');
      expect(missing.stderr).not.toMatch(STACK);

      const failing = await runCli(['dev', '--cwd', root], { PATH: pathDir({ bun: '#!/bin/sh\nexit 3\n' }) });
      expect(failing.code).toBe(3);
      expect(failing.stderr).not.toContain('QB_DEV_TOOL_MISSING');
      expect(failing.stderr).toContain('The dev server exited with code 3');
    },
    60_000,
  );

  it('Cloudflare without wrangler: QB_DEV_TOOL_MISSING naming wrangler and npm install', async () => {
    const root = project(
      'defineRuntime("cloudflare", { compatibilityDate: "2026-04-26" })',
      'defineDatabase("cloudflare-d1"',
    );
    const missing = await runCli(['dev', '--cwd', root], { PATH: pathDir() });
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toContain('QB_DEV_TOOL_MISSING');
    expect(missing.stderr).toMatch(/wrangler was not found/);
    expect(missing.stderr).toContain('npm install');
    expect(missing.stderr).not.toMatch(STACK);
  }, 60_000);
});
