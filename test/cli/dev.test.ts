/**
 * `quickback dev` (the generated `npm run dev`) for real: the bin in a child process compiles,
 * starts `node` on an esbuild bundle of src/server.ts, and serves on 127.0.0.1 on the port given with --port; a saved
 * definition is recompiled and the reloaded server serves the change; Ctrl-C (SIGINT) stops both
 * and exits 0. How --port reaches each runtime's server (wrangler's is run by the pack test).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePort } from '../../src/cli/commands/dev.js';
import { devServerCommand } from '../../src/emitters/server-common/dev.js';
import { copyFixture, REPO } from '../helpers/project.js';
import { appEnv, compileAndMigrate } from '../helpers/target.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, log: () => string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen:\n${log()}`);
}

describe('quickback dev', () => {
  it('compiles, runs the dev server, serves a saved change after the reload, and stops on Ctrl-C', async () => {
    const root = copyFixture('helpdesk', 'dev');
    await compileAndMigrate(root, 'better-sqlite3');
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
      // No development marker of its own: quickback dev gives it to the server.
      env: { ...process.env, ...appEnv(root, baseURL), QUICKBACK_DEV: '', PORT: '1', NO_COLOR: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until('GET /health', async () => ((await fetch(`${baseURL}/health`)).ok ? true : undefined), () => log);
      expect(log).toMatch(/run 1 \(start\): 0 written, 0 deleted, \d+ unchanged/);
      expect(log).toContain(
        `Starting the dev server: QUICKBACK_DEV=1 PORT=${port} node --enable-source-maps node_modules/.cache/quickback-dev/server.mjs (src/server.ts bundled by esbuild; on a change it is rebuilt and run by a standby node that has loaded its packages already)`,
      );
      // Development settings: the local front-end origin is trusted.
      const preflight = await fetch(`${baseURL}/api/v1/tickets`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const schema = async () => JSON.stringify(await (await fetch(`${baseURL}/openapi.json`)).json());
      expect(await schema()).toContain('"maxLength":140');

      const tickets = path.join(root, 'quickback/features/tickets/tickets.ts');
      writeFileSync(tickets, readFileSync(tickets, 'utf8').replace('maxLength: 140', 'maxLength: 150'));
      await until(
        'the reloaded server serving maxLength 150',
        async () => ((await schema()).includes('"maxLength":150') ? true : undefined),
        () => log,
      );
      expect(log).toMatch(/run 2 \(quickback\/features\/tickets\/tickets\.ts\): \d+ written/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(await fetch(`${baseURL}/health`).then(() => 'up', () => 'down')).toBe('down');
  }, 120_000);

  it("--port reaches each runtime's server: PORT on Node and Bun, wrangler dev --port and a PORT var on Workers; every server gets the development marker", () => {
    expect(devServerCommand('node', 8788)).toEqual({
      command: 'tsx',
      args: ['watch', 'src/server.ts'],
      env: { QUICKBACK_DEV: '1', PORT: '8788' },
    });
    expect(devServerCommand('bun', 8788)).toEqual({
      command: 'bun',
      args: ['--watch', 'src/server.ts'],
      env: { QUICKBACK_DEV: '1', PORT: '8788' },
    });
    expect(devServerCommand('cloudflare', 8788)).toEqual({
      command: 'wrangler',
      args: ['dev', '--ip', '127.0.0.1', '--var', 'QUICKBACK_DEV:1', '--port', '8788', '--var', 'PORT:8788'],
      env: {},
    });
    // Without --port: wrangler.toml's [dev] port, or PORT from the environment / .env.
    expect(devServerCommand('cloudflare')).toEqual({
      command: 'wrangler',
      args: ['dev', '--ip', '127.0.0.1', '--var', 'QUICKBACK_DEV:1'],
      env: {},
    });
    expect(devServerCommand('node').env).toEqual({ QUICKBACK_DEV: '1' });
  });

  it('--port takes a port number and refuses anything else', () => {
    expect(parsePort(undefined)).toBeUndefined();
    expect(parsePort('8788')).toBe(8788);
    for (const bad of ['0', '65536', '80a', '-1', '', 'auto', '8.5']) {
      expect(() => parsePort(bad), bad).toThrow(expect.objectContaining({ code: 'QB_CLI_INVALID_FLAG' }));
    }
  });
});
