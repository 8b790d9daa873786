/**
 * The other option combinations, end to end:
 * - `solo`: libsql, uuid ids, camelCase + plural auth tables, one database, owner scope, PUBLIC
 *   read, firewallErrorMode "hide" (in-process).
 * - `interop`: Bun server (bun:sqlite), serial ids, a plain Drizzle sqliteTable and a q.table,
 *   a custom role "viewer" below member, the admin plugin.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { hasBun, serverTarget } from '../helpers/server.js';
import { databaseFiles, inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

const columnsOf = (file: string, table: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
  } finally {
    db.close();
  }
};

describe('solo: libsql, uuid, camelCase, plurals, one database, hide mode', () => {
  let t: ConformanceTarget;
  let root: string;
  beforeAll(async () => {
    root = copyFixture('solo', 'solo');
    t = await inProcessTarget(root, 'libsql', false);
  }, 120_000);
  afterAll(async () => t?.close());

  it('names auth tables and columns per namingConvention and usePlurals, in one database', () => {
    const file = databaseFiles(root).features;
    expect(columnsOf(file, 'users')).toEqual(expect.arrayContaining(['id', 'email', 'emailVerified', 'createdAt']));
    expect(columnsOf(file, 'sessions')).toContain('userId');
    expect(columnsOf(file, 'bookmarks')).toEqual(
      expect.arrayContaining(['id', 'url', 'readOn', 'userId', 'createdAt', 'deletedAt']),
    );
  });

  it('creates with uuid ids, stamps the owner, and hides other users rows as 404', async () => {
    const ada = await signUp(t.fetch, t.baseURL, 'Ada');
    const bo = await signUp(t.fetch, t.baseURL, 'Bo');
    const created = await ada.api('POST', '/api/v1/bookmarks', {
      url: 'https://example.com',
      title: 'Example',
      rating: 4,
      tags: ['a'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://example.com', userId: ada.userId, tags: ['a'], rating: 4 });
    expect(created.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const foreign = await bo.api('GET', `/api/v1/bookmarks/${created.body.id}`);
    const missing = await bo.api('GET', '/api/v1/bookmarks/00000000-0000-4000-8000-000000000000');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', layer: 'firewall' });
    expect((await ada.api('GET', '/api/v1/bookmarks?rating.gte=3')).body.data).toHaveLength(1);
    expect((await ada.api('GET', '/api/v1/bookmarks?rating.gte=5')).body.data).toHaveLength(0);
    expect((await ada.api('POST', '/api/v1/bookmarks', { url: 'not a url' })).status).toBe(400);
    expect((await ada.api('POST', '/api/v1/bookmarks', { url: 'https://x.dev', rating: 9 })).status).toBe(400);
  });

  it('PUBLIC read still needs a user when the firewall is owner-scoped; anonymous writes are refused', async () => {
    const anonymous = await t.fetch(new Request(`${t.baseURL}/api/v1/bookmarks`));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_MISSING', layer: 'authentication' });
    const write = await t.fetch(
      new Request(`${t.baseURL}/api/v1/bookmarks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"url":"https://x.dev"}',
      }),
    );
    expect(write.status).toBe(401);
    // A refused bearer token says so, on the list and on a single row alike.
    for (const path of ['/api/v1/bookmarks', '/api/v1/bookmarks/00000000-0000-4000-8000-000000000000']) {
      const forged = await t.fetch(
        new Request(`${t.baseURL}${path}`, {
          headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' },
        }),
      );
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
    }
  });
});

describe.runIf(hasBun())('interop on a Bun server: serial ids, Drizzle tables, custom roles, admin plugin', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await serverTarget(copyFixture('interop', 'interop'), 'bun', 'better-sqlite3');
  }, 120_000);
  afterAll(async () => t?.close());

  it('serves a sqliteTable and a q.table with serial ids and the custom viewer role', async () => {
    const owner = await signUp(t.fetch, t.baseURL, 'Owner');
    const viewer = await signUp(t.fetch, t.baseURL, 'Viewer');
    const org = await owner.auth.organization.create({ name: 'Interop', slug: `interop-${Date.now()}` });
    expect(org.error).toBeNull();
    await owner.auth.organization.setActive({ organizationId: org.data!.id });
    const invite = await owner.auth.organization.inviteMember({
      email: viewer.email,
      role: 'viewer' as 'member',
      organizationId: org.data!.id,
    });
    expect(invite.error).toBeNull();
    expect((await viewer.auth.organization.acceptInvitation({ invitationId: invite.data!.id })).error).toBeNull();
    await viewer.auth.organization.setActive({ organizationId: org.data!.id });

    const project = await owner.api('POST', '/api/v1/projects', { name: 'Apollo' });
    expect(project.status).toBe(201);
    expect(project.body).toMatchObject({
      id: 1,
      name: 'Apollo',
      status: 'active',
      archived: false,
      organizationId: org.data!.id,
    });
    const task = await owner.api('POST', '/api/v1/tasks', { title: 'Launch', projectId: 1 });
    expect(task.status).toBe(201);
    expect(task.body.id).toBe(1);

    expect((await viewer.api('GET', '/api/v1/projects')).body.data.map((p: { name: string }) => p.name)).toEqual([
      'Apollo',
    ]);
    const denied = await viewer.api('POST', '/api/v1/projects', { name: 'Nope' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ACCESS_ROLE_REQUIRED');
    expect(t.readRow('projects', 1)).toMatchObject({ name: 'Apollo', organization_id: org.data!.id });
  });

  it('mounts the admin plugin', async () => {
    const user = await signUp(t.fetch, t.baseURL, 'Plain');
    const res = await user.api('GET', '/auth/v1/admin/list-users');
    expect([401, 403]).toContain(res.status);
  });
});
