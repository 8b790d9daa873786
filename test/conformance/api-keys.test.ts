/**
 * API keys in the auth chain (reference §5.2, seed 002), in-process on the helpdesk: keys created
 * through Better Auth's own endpoints (/auth/v1/api-key/create|list|delete) authenticate API calls
 * by `x-api-key`, `?api_key=` or `?key=` (the header wins); `metadata.organizationId` gives the
 * owner's role in that organization; deleted keys and keys over Better Auth's rate limit are
 * refused with their own codes; a key sent as a bearer token is refused with a hint naming x-api-key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp, type Caller } from '../helpers/client.js';
import { addMember, createOrg } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

type User = Caller & { userId: string; email: string };

describe('API keys', () => {
  let t: ConformanceTarget;
  let owner: User;
  let carol: User;
  let outsider: User;
  let org: string;
  const anonymous = () => createCaller(t.fetch, t.baseURL);
  const createKey = async (user: User, metadata?: Record<string, unknown>) => {
    const res = await user.api('POST', '/auth/v1/api-key/create', { name: 'cron', ...(metadata ? { metadata } : {}) });
    expect(res.status).toBe(200);
    return res.body as { key: string; id: string };
  };

  beforeAll(async () => {
    t = await inProcessTarget(copyFixture('helpdesk', 'api-keys'), 'better-sqlite3');
    [owner, carol, outsider] = await Promise.all(
      ['Owner', 'Carol', 'Outsider'].map((n) => signUp(t.fetch, t.baseURL, n)),
    );
    org = await createOrg(owner, 'Keys');
    await addMember(owner, carol, org, 'member');
    await owner.api('POST', '/api/v1/tickets', { title: 'Keyed', estimate: 2, customerEmail: 'buyer@example.com' });
  }, 60_000);

  it("authenticates by header and both query forms, acting in the organization of metadata.organizationId with the owner's role", async () => {
    const { key } = await createKey(owner, { organizationId: org });
    for (
      const [path, headers] of [
        ['/api/v1/tickets', { 'x-api-key': key }],
        [`/api/v1/tickets?api_key=${key}`, {}],
        [`/api/v1/tickets?key=${key}`, {}],
      ] as const
    ) {
      const res = await anonymous().api('GET', path, undefined, headers);
      expect(res.status, path).toBe(200);
      expect(res.body.data).toEqual([
        expect.objectContaining({ title: 'Keyed', customerEmail: 'buyer@example.com', organizationId: org }),
      ]);
      expect(res.headers.get('set-auth-token')).toBeNull();
    }
  });

  it("a member's key gets the member role (masked email); a key without an organization, or for one the owner left, has none", async () => {
    const { key } = await createKey(carol, { organizationId: org });
    const asMember = await anonymous().api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key });
    expect(asMember.body.data[0].customerEmail).toBe('b***@e***.com');
    const bare = await createKey(outsider);
    expect((await anonymous().api('GET', '/api/v1/tickets', undefined, { 'x-api-key': bare.key })).body.code).toBe(
      'ORG_REQUIRED',
    );
    const foreign = await createKey(outsider, { organizationId: org });
    expect((await anonymous().api('GET', '/api/v1/tickets', undefined, { 'x-api-key': foreign.key })).body.code).toBe(
      'ORG_REQUIRED',
    );
  });

  it('the header wins over the query', async () => {
    const { key } = await createKey(owner, { organizationId: org });
    expect((await anonymous().api('GET', '/api/v1/tickets?api_key=nonsense', undefined, { 'x-api-key': key })).status)
      .toBe(200);
    expect(
      (await anonymous().api('GET', `/api/v1/tickets?api_key=${key}`, undefined, { 'x-api-key': 'nonsense' })).body
        .code,
    ).toBe('AUTH_INVALID_TOKEN');
  });

  it('lists keys, and a deleted key is refused at once', async () => {
    const { key, id } = await createKey(owner, { organizationId: org });
    expect((await owner.api('GET', '/auth/v1/api-key/list')).body.apiKeys.map((k: { id: string }) => k.id)).toContain(
      id,
    );
    expect((await owner.api('POST', '/auth/v1/api-key/delete', { keyId: id })).status).toBe(200);
    const res = await anonymous().api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID_TOKEN');
  });

  it('a key sent as Authorization: Bearer is refused with where it goes; other bearer values and sessions are unchanged', async () => {
    const { key } = await createKey(owner, { organizationId: org });
    const res = await anonymous().api('GET', '/api/v1/tickets', undefined, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      code: 'AUTH_INVALID_TOKEN',
      layer: 'authentication',
      error: 'An API key was sent as a bearer token',
    });
    expect(res.body.hint).toContain('x-api-key');
    const stranger = await anonymous().api('GET', '/api/v1/tickets', undefined, {
      authorization: 'Bearer not-a-key-at-all',
    });
    expect([stranger.status, stranger.body.code]).toEqual([401, 'AUTH_MISSING']);
    expect((await owner.api('GET', '/api/v1/tickets', undefined, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await anonymous().api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key })).status).toBe(200);
  });

  it('a refused key falls back to the session', async () => {
    expect((await owner.api('GET', '/api/v1/tickets', undefined, { 'x-api-key': 'nonsense' })).status).toBe(200);
  });

  it("over Better Auth's per-key rate limit (10 per day by default) answers 429 AUTH_RATE_LIMITED", async () => {
    const { key } = await createKey(owner, { organizationId: org });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await anonymous().api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key })).status);
    expect(statuses).toEqual(Array(10).fill(200));
    const last = await anonymous().api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key });
    expect(last.status).toBe(429);
    expect(last.body.code).toBe('AUTH_RATE_LIMITED');
  });
});

describe('API keys: plugin options from the config', () => {
  it('passes the object form to the plugin: a per-key limit of 3 requests per minute', async () => {
    const t = await inProcessTarget(
      copyFixture('helpdesk', 'api-keys-options', {
        config: [[
          'defineAuth("better-auth", {',
          'defineAuth("better-auth", {\n      plugins: { apiKey: { rateLimit: { maxRequests: 3, timeWindow: 60000 } } },',
        ]],
      }),
      'better-sqlite3',
    );
    const owner = await signUp(t.fetch, t.baseURL, 'Owner');
    const org = await createOrg(owner, 'Limits');
    const { key } =
      (await owner.api('POST', '/auth/v1/api-key/create', { name: 'ci', metadata: { organizationId: org } })).body as {
        key: string;
      };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await createCaller(t.fetch, t.baseURL).api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 429]);
  }, 60_000);
});
