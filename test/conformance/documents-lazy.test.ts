/**
 * The documents (src/openapi.ts: the OpenAPI document and the schema registry, megabytes in a
 * large app) are imported on the first request for one, not at boot, so a restart of the dev
 * server does not compile them. Node: a real server whose src/openapi.ts reports its own import;
 * Workers: the module reaches the bundle wrangler builds and serves from there.
 */
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { startServer } from '../helpers/server.js';
import { compileAndMigrate } from '../helpers/target.js';
import { CLOUDFLARE, workerTarget } from '../helpers/worker.js';

const MARK = 'documents module imported';
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of cleanup) await stop();
});

async function servesBoth(baseURL: string): Promise<void> {
  const doc = await fetch(`${baseURL}/openapi.json`);
  expect(doc.status).toBe(200);
  expect((await doc.json()).openapi).toBe('3.1.0');
  const user = await signUp(fetch, baseURL, 'Reader');
  const registry = await user.api('GET', '/api/v1/schema');
  expect(registry.status).toBe(200);
  expect(Object.keys(registry.body)).not.toHaveLength(0);
}

describe('the documents load on first request', () => {
  it('Node: boots without importing src/openapi.ts, imports it once for the first document request', async () => {
    const root = copyFixture('helpdesk', 'docs-lazy');
    await compileAndMigrate(root, 'better-sqlite3');
    appendFileSync(path.join(root, 'src', 'openapi.ts'), `\nconsole.log(${JSON.stringify(MARK)});\n`);
    const server = await startServer(root, 'node');
    cleanup.push(server.stop, async () => rmSync(root, { recursive: true, force: true }));
    expect(server.output()).toContain('listening');
    expect(server.output()).not.toContain(MARK);
    await servesBoth(server.baseURL);
    expect(await fetch(`${server.baseURL}/openapi.json`).then((r) => r.status)).toBe(200);
    expect(server.output().split(MARK)).toHaveLength(2);
  }, 60_000);

  it('Workers: the bundled Worker serves both documents', async () => {
    const root = copyFixture('helpdesk', 'cf-docs-lazy', { config: CLOUDFLARE });
    const target = await workerTarget(root);
    cleanup.push(target.close, async () => rmSync(root, { recursive: true, force: true }));
    await servesBoth(target.baseURL);
  }, 90_000);
});
