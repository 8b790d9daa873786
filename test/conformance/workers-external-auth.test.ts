/**
 * Auth provider `external` under workerd (miniflare): two Workers. The API is the helpdesk with
 * `defineAuth("external", { service: "helpdesk-auth" })`; the auth Worker is a Quickback project
 * with Better Auth and no features, bound to the API as the service AUTH_SERVICE. Clients only
 * ever talk to the API: /auth/v1 is forwarded to the auth Worker, and every API request resolves
 * its session, organization roles and team through the binding. The whole CRUD conformance suite
 * runs this way, then the specifics: where users live, sign-out, `?organizationId=` membership,
 * and an auth service that fails.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/index.js';
import { createCaller, signUp } from '../helpers/client.js';
import { addMember, createOrg } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import {
  CLOUDFLARE,
  EXTERNAL_AUTH as EXTERNAL,
  startWorker,
  workerTarget,
  type WorkerOptions,
} from '../helpers/worker.js';
import { crudConformance } from './crud.suite.js';

/** A Quickback auth Worker: Better Auth with organizations, nothing else. */
async function authWorkerRoot(label: string): Promise<string> {
  const root = copyFixture('helpdesk', label, {
    config: [...CLOUDFLARE, ['name: "helpdesk"', 'name: "helpdesk-auth"']],
  });
  rmSync(path.join(root, 'quickback', 'features'), { recursive: true });
  await compile({ cwd: root });
  return root;
}

async function externalTarget(label: string, options: WorkerOptions = {}) {
  const auth = await authWorkerRoot(`${label}-auth`);
  return workerTarget(copyFixture('helpdesk', label, { config: EXTERNAL }), { siblings: [{ root: auth }], ...options });
}

crudConformance('cloudflare worker + D1, external auth through a service binding', () => externalTarget('cf-ext-crud'));

describe('external auth: the API owns no users', () => {
  let w: Awaited<ReturnType<typeof startWorker>>;
  let root: string;
  beforeAll(async () => {
    const auth = await authWorkerRoot('cf-ext-auth');
    root = copyFixture('helpdesk', 'cf-ext', { config: EXTERNAL });
    await compile({ cwd: root });
    w = await startWorker(root, { siblings: [{ root: auth }] });
  }, 120_000);
  afterAll(async () => w?.mf.dispose());

  it('binds the auth Worker as a service and has no auth database, Better Auth or auth secret', () => {
    expect(w.wrangler.services).toEqual([{ binding: 'AUTH_SERVICE', service: 'helpdesk-auth' }]);
    expect(w.wrangler.d1_databases!.map((d) => d.binding)).not.toContain('AUTH_DB');
    expect(existsSync(path.join(root, 'src', 'db', 'auth-schema.ts'))).toBe(false);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies['better-auth']).toBeUndefined();
    expect(readFileSync(path.join(root, 'src', 'env.ts'), 'utf8')).toContain(
      'export const requiredEnv: string[] = [];',
    );
  });

  it('signs up through the API, keeps the user in the auth Worker, and ends the session on sign-out', async () => {
    const ada = await signUp(fetch, w.baseURL, 'Ada');
    const session = await ada.api('GET', '/auth/v1/get-session');
    expect(session.body.user).toMatchObject({ id: ada.userId, email: ada.email });
    const users = await w.mf.getD1Database('AUTH_DB', 'helpdesk-auth');
    expect(await users.prepare('SELECT email FROM user WHERE id = ?').bind(ada.userId).first()).toEqual({
      email: ada.email,
    });
    const signedIn = await ada.api('GET', '/api/v1/tickets');
    expect(signedIn.body.code).toBe('ORG_REQUIRED');
    expect(signedIn.headers.get('set-auth-token')).toBeNull(); // no auth.jwt: sessions only
    expect((await ada.api('POST', '/api/v1/token')).body.code).toBe('ROUTE_NOT_FOUND');
    await ada.auth.signOut();
    expect((await ada.api('GET', '/api/v1/tickets')).body.code).toBe('AUTH_MISSING');
  });

  it('honours ?organizationId= for a member without an active organization, with the roles the auth Worker has', async () => {
    const [owner, erin, mallory] = await Promise.all(
      ['Owner', 'Erin', 'Mallory'].map((n) => signUp(fetch, w.baseURL, n)),
    );
    const org = await createOrg(owner, 'Ext');
    await addMember(owner, erin, org, 'member');
    await erin.auth.organization.setActive({ organizationId: null });
    const created = await owner.api('POST', '/api/v1/tickets', { title: 'Via the service', estimate: 1 });
    expect(created.status).toBe(201);
    const listed = await erin.api('GET', `/api/v1/tickets?organizationId=${org}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
    expect((await mallory.api('GET', `/api/v1/tickets?organizationId=${org}`)).body.code).toBe(
      'ACCESS_CROSS_TENANT_FORBIDDEN',
    );
  });
});

describe('external auth: an auth service that fails', () => {
  let w: Awaited<ReturnType<typeof startWorker>>;
  let answer: () => Response;
  beforeAll(async () => {
    const root = copyFixture('helpdesk', 'cf-ext-down', { config: EXTERNAL });
    await compile({ cwd: root });
    // The service binding answered by Node: whatever the test says.
    w = await startWorker(root, { extra: { serviceBindings: { AUTH_SERVICE: async () => answer() } } });
  }, 120_000);
  afterAll(async () => w?.mf.dispose());

  it('answers 503 AUTH_SERVICE_UNAVAILABLE (never anonymous, never 500) and keeps /health up', async () => {
    const caller = createCaller(fetch, w.baseURL);
    for (const make of [() => new Response('boom', { status: 500 }), () => new Response('<html>', { status: 200 })]) {
      answer = make;
      const res = await caller.api('GET', '/api/v1/tickets', undefined, { cookie: 'better-auth.session_token=x' });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'AUTH_SERVICE_UNAVAILABLE', layer: 'authentication' });
    }
    expect((await caller.api('GET', '/health')).status).toBe(200);
  });

  it("passes the auth Worker's rate limit on as 429", async () => {
    answer = () => new Response('slow down', { status: 429 });
    const res = await createCaller(fetch, w.baseURL).api('GET', '/api/v1/tickets');
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('AUTH_RATE_LIMITED');
  });
});
