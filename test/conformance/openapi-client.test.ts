/**
 * A typed client from the served document: openapi-typescript turns the helpdesk's /openapi.json
 * into types (programmatic API, into the fixture's folder under .out/), a small openapi-fetch
 * client (openapi-client.ts) type-checks under `tsc --strict` without casts while mistakes in a
 * second file are caught line by line, and the same client then runs against the in-process app.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp } from '../helpers/client.js';
import { createOrg, type User } from '../helpers/orgs.js';
import { copyFixture, REPO } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';
import { BAD, CLIENT } from './openapi-client.js';

let t: ConformanceTarget;
let alice: User;
let dir: string;

beforeAll(async () => {
  const root = copyFixture('helpdesk', 'openapi-client');
  t = await inProcessTarget(root, 'better-sqlite3');
  alice = await signUp(t.fetch, t.baseURL, 'Alice');
  await createOrg(alice, 'Acme');
  dir = path.join(root, 'client');
  mkdirSync(dir, { recursive: true });
}, 120_000);
afterAll(async () => t?.close());

/** tsc --strict over the client folder; its diagnostics as `file(line): TSxxxx`. */
function typecheck(files: string[]): string[] {
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files,
    }),
  );
  try {
    execFileSync(process.execPath, [
      path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      path.join(dir, 'tsconfig.json'),
    ], { encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (error) {
    const { stdout } = error as { stdout: string };
    return stdout.split('\n').map((line) => /^(\S+?)\((\d+),\d+\): error (TS\d+)/.exec(line)).filter((m) => m !== null)
      .map((m) => `${path.basename(m[1])}(${m[2]}): ${m[3]}`);
  }
}

describe('OpenAPI: a typed client (openapi-typescript + openapi-fetch)', () => {
  it(
    'generates types from /openapi.json; the client type-checks under --strict without casts, and mistakes do not',
    async () => {
      const doc = (await createCaller(t.fetch, t.baseURL).api('GET', '/openapi.json')).body;
      const types = astToString(await openapiTS(doc));
      expect(types).toContain('"/api/v1/tickets/{id}/escalate"');
      writeFileSync(path.join(dir, 'api.d.ts'), types);
      writeFileSync(path.join(dir, 'client.ts'), CLIENT);
      writeFileSync(path.join(dir, 'bad.ts'), BAD);
      expect(CLIENT).not.toMatch(/\bas\s+(?!const\b)[A-Za-z{[(]/);
      const marked = BAD.split('\n').flatMap((line, i) => (line.endsWith('// error') ? [i + 1] : []));
      const diagnostics = typecheck(['api.d.ts', 'client.ts', 'bad.ts']);
      expect(diagnostics.filter((d) => !d.startsWith('bad.ts'))).toEqual([]);
      expect([...new Set(diagnostics.map((d) => Number(/\((\d+)\)/.exec(d)![1])))].sort((a, b) => a - b)).toEqual(
        marked,
      );
    },
    120_000,
  );

  it('runs against the app: every call answers as typed', async () => {
    const { run } = await import(pathToFileURL(path.join(dir, 'client.ts')).href);
    const cookie = [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const result = await run(t.baseURL, t.fetch, cookie);
    expect(result.statuses).toEqual([201, 200, 200, 200, 201, 200, 200, 200, 200, 403, 200, 412, 200]);
    expect(result).toMatchObject({
      precondition: 'PRECONDITION_FAILED',
      priority: 'normal',
      title: 'Typed',
      estimate: 8,
      total: 1,
      succeeded: 2,
      pinned: true,
      view: 'thread',
      open: 1,
      urgent: 'urgent',
      code: 'FIREWALL_NOT_FOUND',
      success: true,
    });
    expect(result.titles).toEqual(['Typed']);
    expect(result.rows[0]).toBe('id,title,priority,customerEmail');
  });
});
