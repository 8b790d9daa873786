import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifyGithub, verifyStandard, verifyTimestamped } from './webhook-signature.js';

const SECRET = 'whsec_test';
const body = JSON.stringify({ type: 'ticket.created', data: { id: 't1' } });
const now = 1_800_000_000_000;

describe('webhook signatures', () => {
  it('round-trips our t=,v1= scheme within 300 s, and only then', () => {
    const header = signPayload(SECRET, body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyTimestamped(SECRET, header, body, now + 299_000)).toEqual({ ok: true });
    expect(verifyTimestamped(SECRET, header, body, now + 301_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyTimestamped(SECRET, header, `${body} `, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTimestamped('other', header, body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTimestamped(SECRET, null, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyTimestamped(SECRET, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyTimestamped(SECRET, header.replace(/v1=.{2}/, 'v1=zz'), body, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it("accepts Stripe's header (several v1 signatures, a v0 among them)", () => {
    const t = now / 1000;
    const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
    expect(verifyTimestamped(SECRET, `t=${t},v1=${'0'.repeat(64)},v1=${v1},v0=dead`, body, now)).toEqual({ ok: true });
  });

  it("checks GitHub's sha256= body signature", () => {
    const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect(verifyGithub(SECRET, sig, body)).toEqual({ ok: true });
    expect(verifyGithub(SECRET, sig, `${body}x`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyGithub(SECRET, sig.replace('sha256=', 'sha1='), body)).toEqual({ ok: false, reason: 'malformed' });
  });

  it("checks Standard Webhooks (the spec's test vector): the id and timestamp are signed with the body", () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const vector = {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: '1614265330',
      signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const payload = '{"test": 2432232314}';
    const at = 1614265330_000;
    expect(verifyStandard(secret, vector, payload, at)).toEqual({ ok: true });
    expect(verifyStandard(secret, { ...vector, signature: `v1,${'A'.repeat(44)} ${vector.signature}` }, payload, at))
      .toEqual({ ok: true });
    expect(verifyStandard(secret, { ...vector, id: 'msg_other' }, payload, at)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyStandard(secret, vector, payload, at + 301_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyStandard(secret, { ...vector, timestamp: '1614265330.5' }, payload, at)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyStandard(secret, { ...vector, signature: 'v2,abc' }, payload, at)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyStandard(secret, { ...vector, id: null }, payload, at)).toEqual({ ok: false, reason: 'missing' });
  });
});
