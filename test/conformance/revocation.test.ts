/**
 * `auth.jwt.revocationCheck: "kv"` (built beyond the public product): on Node with
 * `defineStorage("memory")` and with `defineStorage("redis")` (the local Redis on
 * 127.0.0.1:6379, which every machine and CI run), in-process on the helpdesk with the admin plugin. Signing out or
 * being banned (or an admin stopping an impersonation of the user) stops every bearer token of that user on the next request, with no auth-database
 * query on the fast path; tokens minted afterwards work. (Workers KV: workers-env.test.ts.)
 */
import { createClient } from '@redis/client';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp, type Caller } from '../helpers/client.js';
import { addMember, createOrg } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { databaseFiles, inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const revocation = (storage: string): [string, string][] => [
  ['auth: { roleHierarchy', 'auth: { jwt: { revocationCheck: "kv" }, roleHierarchy'],
  [
    '    auth: defineAuth("better-auth", {',
    `    storage: ${storage},\n    auth: defineAuth("better-auth", {\n      plugins: { admin: true },`,
  ],
  ['import { defineAuth,', 'import { defineStorage, defineAuth,'],
];

/** The denylist entry of a user in Redis (proves the Redis store, not a fallback, holds it). */
async function redisEntry(userId: string): Promise<string | null> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    return await client.get(`quickback:jwt-revoked:${userId}`);
  } finally {
    client.destroy();
  }
}

type User = Caller & { userId: string; email: string };
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() % 1000)));

describe.each(
  [
    ['memory', 'defineStorage("memory")'],
    ['redis', `defineStorage("redis", { url: "${REDIS_URL}" })`],
  ] as const,
)('token revocation on Node (%s store)', (kind, storage) => {
  let t: ConformanceTarget;
  let root: string;
  const withToken = (token: string) =>
    createCaller(t.fetch, t.baseURL).api('GET', '/api/v1/tickets', undefined, { authorization: `Bearer ${token}` });
  const tokenOf = async (user: User) => (await user.api('POST', '/api/v1/token')).body.token as string;

  beforeAll(async () => {
    root = copyFixture('helpdesk', `revocation-${kind}`, { config: revocation(storage) });
    t = await inProcessTarget(root, 'better-sqlite3');
  }, 60_000);

  it("signing out stops the user's tokens at once; a token minted later works", async () => {
    const ada = await signUp(t.fetch, t.baseURL, 'Ada');
    await createOrg(ada, 'Revoke');
    const token = await tokenOf(ada);
    expect((await withToken(token)).status).toBe(200);
    await ada.auth.signOut();
    const refused = await withToken(token);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('AUTH_INVALID_TOKEN');
    if (kind === 'redis') expect(Number(await redisEntry(ada.userId))).toBeGreaterThan(0);
    await nextSecond();
    await ada.auth.signIn.email({ email: ada.email, password: 'correct-horse-battery' });
    await ada.auth.organization.setActive({ organizationId: (await ada.auth.organization.list()).data![0].id });
    expect((await withToken(await tokenOf(ada))).status).toBe(200);
  });

  it("an admin banning a user stops that user's tokens; other users keep theirs", async () => {
    const [admin, mallory, bob] = await Promise.all(
      ['Admin', 'Mallory', 'Bob'].map((n) => signUp(t.fetch, t.baseURL, n)),
    );
    const db = new Database(databaseFiles(root).auth);
    db.prepare('UPDATE user SET role = ? WHERE id = ?').run('admin', admin.userId);
    db.close();
    // Sessions live in the store (secondary storage) with the user as it was: a new sign-in reads the new role.
    await admin.auth.signIn.email({ email: admin.email, password: 'correct-horse-battery' });
    await Promise.all([createOrg(mallory, 'M'), createOrg(bob, 'B')]);
    const [malloryToken, bobToken] = await Promise.all([tokenOf(mallory), tokenOf(bob)]);
    expect((await withToken(malloryToken)).status).toBe(200);
    const ban = await admin.api('POST', '/auth/v1/admin/ban-user', { userId: mallory.userId });
    expect(ban.status).toBe(200);
    expect((await withToken(malloryToken)).body.code).toBe('AUTH_INVALID_TOKEN');
    expect((await withToken(bobToken)).status).toBe(200);
  });

  it("a membership change stops the member's tokens (they carry the old role); the owner's stay", async () => {
    const [owner, carol] = await Promise.all(['Owner', 'Carol'].map((n) => signUp(t.fetch, t.baseURL, n)));
    const org = await createOrg(owner, 'Roles');
    await addMember(owner, carol, org, 'admin');
    const [ownerToken, carolToken] = await Promise.all([tokenOf(owner), tokenOf(carol)]);
    expect((await withToken(carolToken)).status).toBe(200);
    const members = (await owner.api('GET', `/auth/v1/organization/list-members?organizationId=${org}`)).body
      .members as { id: string; userId: string }[];
    const carolMember = members.find((m) => m.userId === carol.userId)!;
    expect(
      (await owner.api('POST', '/auth/v1/organization/update-member-role', {
        memberId: carolMember.id,
        role: 'member',
        organizationId: org,
      })).status,
    ).toBe(200);
    expect((await withToken(carolToken)).body.code).toBe('AUTH_INVALID_TOKEN');
    expect((await withToken(ownerToken)).status).toBe(200);
  });

  it('an admin stopping the impersonation of a user stops the tokens minted during it (the session ended, like a sign-out)', async () => {
    const [admin, zoe] = await Promise.all(['Root', 'Zoe'].map((n) => signUp(t.fetch, t.baseURL, n)));
    const db = new Database(databaseFiles(root).auth);
    db.prepare('UPDATE user SET role = ? WHERE id = ?').run('admin', admin.userId);
    db.close();
    await admin.auth.signIn.email({ email: admin.email, password: 'correct-horse-battery' });
    const org = await createOrg(zoe, 'Z');
    expect((await admin.api('POST', '/auth/v1/admin/impersonate-user', { userId: zoe.userId })).status).toBe(200);
    await admin.auth.organization.setActive({ organizationId: org });
    const token = await tokenOf(admin);
    expect((await withToken(token)).status).toBe(200);
    expect((await admin.api('POST', '/auth/v1/admin/stop-impersonating', {})).status).toBe(200);
    expect((await withToken(token)).body.code).toBe('AUTH_INVALID_TOKEN');
  });

  it('a failed call revokes nothing (a wrong current password)', async () => {
    const eve = await signUp(t.fetch, t.baseURL, 'Eve');
    await createOrg(eve, 'E');
    const token = await tokenOf(eve);
    const wrong = await eve.api('POST', '/auth/v1/change-password', {
      currentPassword: 'not-the-password',
      newPassword: 'another-horse-battery',
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect((await withToken(token)).status).toBe(200);
  });
});
