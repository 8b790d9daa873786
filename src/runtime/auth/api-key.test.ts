/**
 * API keys in the auth chain: where the key is read from, and the caller a verdict stands for
 * (owner, organization from the key's metadata only while the owner is a member, refusals).
 * Better Auth's verifier is replaced by a table of verdicts; the rules here are ours.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { apiKeyOf, contextFromApiKey, type ApiKeys, type ApiKeyVerdict } from './api-key.js';

const users = {
  u1: { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'admin' },
  u2: { id: 'u2', email: 'bo@example.com', name: 'Bo' },
};
const memberships: Record<string, string[]> = { 'org1/u1': ['owner'], 'org1/u2': ['member'] };
const memberRoles = async (org: string, user: string) => memberships[`${org}/${user}`] ?? null;

const valid = (key: ApiKeyVerdict['key']): ApiKeyVerdict => ({ valid: true, error: null, key });
const refused = (code?: string): ApiKeyVerdict => ({ valid: false, error: code ? { code } : null, key: null });
function keys(verdicts: Record<string, ApiKeyVerdict>): ApiKeys {
  return {
    verify: async (key) => verdicts[key] ?? refused('INVALID_API_KEY'),
    userById: async (id) => users[id as keyof typeof users] ?? null,
  };
}

describe('apiKeyOf: x-api-key, else ?api_key=, else ?key=', () => {
  const app = new Hono().get('/', (c) => c.json({ key: apiKeyOf(c) }));
  const keyOf = async (path: string, headers: Record<string, string> = {}) =>
    (await (await app.request(path, { headers })).json()).key;

  it('prefers the header, then api_key, then key; nothing or empty is no key', async () => {
    expect(await keyOf('/?api_key=q1&key=q2', { 'x-api-key': 'h' })).toBe('h');
    expect(await keyOf('/?api_key=q1&key=q2')).toBe('q1');
    expect(await keyOf('/?key=q2')).toBe('q2');
    expect(await keyOf('/')).toBeNull();
    expect(await keyOf('/?key=')).toBeNull();
  });
});

describe('contextFromApiKey', () => {
  it('the owner becomes the caller, in the organization of the key with the role held there', async () => {
    const ctx = await contextFromApiKey(
      'k',
      keys({ k: valid({ referenceId: 'u1', metadata: { organizationId: 'org1' } }) }),
      memberRoles,
    );
    expect(ctx).toEqual({
      authenticated: true,
      userId: 'u1',
      userRole: 'admin',
      activeOrgId: 'org1',
      activeTeamId: null,
      roles: ['owner'],
      user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
    });
  });

  it('reads metadata stored as JSON text, and the older userId owner field; platform role defaults to user', async () => {
    const ctx = await contextFromApiKey(
      'k',
      keys({ k: valid({ userId: 'u2', metadata: '{"organizationId":"org1"}' }) }),
      memberRoles,
    );
    expect(ctx).toMatchObject({ userId: 'u2', userRole: 'user', activeOrgId: 'org1', roles: ['member'] });
  });

  it('an owner who is no longer a member gets no organization and no roles', async () => {
    const ctx = await contextFromApiKey(
      'k',
      keys({ k: valid({ referenceId: 'u2', metadata: { organizationId: 'org2' } }) }),
      memberRoles,
    );
    expect(ctx).toMatchObject({ authenticated: true, userId: 'u2', activeOrgId: null, roles: [] });
  });

  it.each([
    ['no metadata', undefined],
    ['unparseable JSON text', '{organizationId'],
    ['an empty organization id', { organizationId: '' }],
    ['a non-string organization id', { organizationId: 7 }],
    ['JSON null', 'null'],
  ])('no organization from %s', async (_, metadata) => {
    const ctx = await contextFromApiKey('k', keys({ k: valid({ referenceId: 'u1', metadata }) }), memberRoles);
    expect(ctx).toMatchObject({ userId: 'u1', activeOrgId: null, roles: [] });
  });

  it('without a membership lookup, a key carries no organization', async () => {
    const ctx = await contextFromApiKey(
      'k',
      keys({ k: valid({ referenceId: 'u1', metadata: { organizationId: 'org1' } }) }),
    );
    expect(ctx).toMatchObject({ activeOrgId: null, roles: [] });
  });

  it('rate limited → 429 AUTH_RATE_LIMITED, expired → 401 AUTH_EXPIRED, each with a hint', async () => {
    await expect(contextFromApiKey('k', keys({ k: refused('RATE_LIMITED') }))).rejects.toMatchObject({
      code: 'AUTH_RATE_LIMITED',
      status: 429,
      hint: expect.stringContaining('retry later'),
    });
    await expect(contextFromApiKey('k', keys({ k: refused('KEY_EXPIRED') }))).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
      status: 401,
      hint: expect.stringContaining('/auth/v1/api-key/create'),
    });
  });

  it('any other refusal, a key with no owner, or an owner that is gone: no caller (the chain goes on)', async () => {
    const verdicts = keys({
      unknown: refused('INVALID_API_KEY'),
      bare: refused(),
      validNoKey: { valid: true, error: null, key: null },
      ownerless: valid({ metadata: { organizationId: 'org1' } }),
      gone: valid({ referenceId: 'u9' }),
    });
    for (const key of ['unknown', 'bare', 'validNoKey', 'ownerless', 'gone'])
      expect(await contextFromApiKey(key, verdicts, memberRoles)).toBeNull();
  });
});
