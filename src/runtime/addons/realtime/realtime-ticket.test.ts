import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../core/context.js';
import { mintTicket, verifyTicket } from './realtime-ticket.js';

const SECRET = 'a'.repeat(64);
const ctx: AppContext = {
  authenticated: true,
  userId: 'u1',
  userRole: 'user',
  activeOrgId: 'o1',
  activeTeamId: null,
  roles: ['admin'],
  user: { id: 'u1', email: 'u@example.com', name: 'U' },
};

describe('websocket tickets', () => {
  it('round-trips the caller and the channel for 60 seconds', () => {
    const now = 1_800_000_000_000;
    const ticket = mintTicket(SECRET, ctx, 'org:o1', now, { sid: 's1' });
    expect(verifyTicket(SECRET, ticket, now + 59_000)).toEqual({
      channel: 'org:o1',
      exp: 1_800_000_060,
      ctx,
      jti: expect.stringMatching(/^[\w-]{22}$/),
      sid: 's1',
      kid: null,
    });
    expect(verifyTicket(SECRET, ticket, now + 60_000)).toBeNull();
  });

  it('gives every ticket its own nonce, and binds it to the API key it was asked with', () => {
    const [one, two] = [
      mintTicket(SECRET, ctx, 'org:o1', Date.now(), { kid: 'k1' }),
      mintTicket(SECRET, ctx, 'org:o1', Date.now(), { kid: 'k1' }),
    ].map((t) => verifyTicket(SECRET, t)!);
    expect(one.jti).not.toBe(two.jti);
    expect([one.sid, one.kid]).toEqual([null, 'k1']);
  });

  it('refuses forged, edited, truncated and foreign-secret tickets', () => {
    const ticket = mintTicket(SECRET, ctx, 'org:o1');
    const [data, sig] = ticket.split('.');
    const edited = Buffer.from(Buffer.from(data, 'base64url').toString().replace('org:o1', 'org:o2')).toString(
      'base64url',
    );
    for (const bad of [
      `${edited}.${sig}`,
      `${data}.${sig.slice(0, -2)}`,
      data,
      `${ticket}.x`,
      '',
      'x.y',
      mintTicket('b'.repeat(64), ctx, 'org:o1'),
    ]) {
      expect(verifyTicket(SECRET, bad)).toBeNull();
    }
  });

  it('refuses a genuine ticket without a nonce (minted before tickets were single use)', () => {
    const [data] = mintTicket(SECRET, ctx, 'org:o1').split('.');
    const { jti, ...legacy } = JSON.parse(Buffer.from(data, 'base64url').toString());
    const key = createHmac('sha256', SECRET).update('quickback realtime ws-ticket v1').digest();
    const signed = (payload: object) => {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    };
    expect(verifyTicket(SECRET, signed({ ...legacy, jti }))?.jti).toBe(jti);
    expect(verifyTicket(SECRET, signed(legacy))).toBeNull();
  });
});
