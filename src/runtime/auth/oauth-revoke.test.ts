import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimedClient, foreignToken, invalidTokenAnswer, type FindToken } from './oauth-revoke.js';

const hashed = (token: string) => createHash('sha256').update(token).digest('base64url');

describe('oauth revoke (RFC 7009)', () => {
  it("names the client from client_id, HTTP Basic (URL-encoded id) or a client assertion's subject", () => {
    expect(claimedClient({ client_id: 'abc' }, null)).toBe('abc');
    expect(claimedClient({}, `Basic ${btoa('my%20client:secret')}`)).toBe('my client');
    const assertion = ['e30', Buffer.from(JSON.stringify({ sub: 'jwt-client' })).toString('base64url'), 'sig'].join(
      '.',
    );
    expect(claimedClient({ client_assertion: assertion }, undefined)).toBe('jwt-client');
    expect(claimedClient({ client_assertion: 'not.a-jwt' }, undefined)).toBeNull();
    expect(claimedClient({}, 'Bearer x')).toBeNull();
  });

  it('finds the token by its stored SHA-256 form (or plain) and compares its client', async () => {
    const rows = new Map([
      [`oauthRefreshToken:${hashed('rt-a')}`, { clientId: 'A' }],
      ['oauthAccessToken:plain-at', { clientId: 'A' }],
    ]);
    const find: FindToken = async (model, value) => rows.get(`${model}:${value}`) ?? null;
    expect(await foreignToken({ token: 'rt-a', client_id: 'B' }, null, find)).toBe(true);
    expect(await foreignToken({ token: 'Bearer plain-at', client_id: 'B' }, null, find)).toBe(true);
    expect(await foreignToken({ token: 'rt-a', client_id: 'A' }, null, find)).toBe(false);
    expect(await foreignToken({ token: 'unknown', client_id: 'B' }, null, find)).toBe(false);
    expect(await foreignToken({ token: 'rt-a' }, null, find)).toBe(false); // no client named: Better Auth refuses it
  });

  it("turns Better Auth's 400 for an invalid token into 200, and nothing else", async () => {
    const answer = invalidTokenAnswer({
      statusCode: 400,
      body: { error: 'invalid_request', error_description: 'token not found' },
    });
    expect([answer?.status, await answer?.text()]).toEqual([200, 'null']);
    expect(
      invalidTokenAnswer({
        statusCode: 400,
        body: { error: 'invalid_request', error_description: 'missing a required token for introspection' },
      }),
    ).toBeNull();
    expect(
      invalidTokenAnswer({
        statusCode: 400,
        body: { error: 'unsupported_token_type', error_description: 'token not found' },
      }),
    ).toBeNull();
    expect(invalidTokenAnswer({ statusCode: 401, body: { error: 'invalid_client' } })).toBeNull();
    expect(invalidTokenAnswer(null)).toBeNull();
  });
});
