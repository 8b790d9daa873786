import { describe, expect, it } from 'vitest';
import {
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_POLICY_VIOLATION,
  messageLimiter,
  onClientMessage,
  REALTIME_LIMITS,
  tooBig,
} from './realtime-limits.js';

describe('realtime limits', () => {
  it('measures text in UTF-8 bytes, and binary messages by length', () => {
    const max = REALTIME_LIMITS.maxMessageBytes;
    expect(tooBig('x'.repeat(max), max)).toBe(false);
    expect(tooBig('x'.repeat(max + 1), max)).toBe(true);
    expect(tooBig('\u00e9'.repeat(max / 2), max)).toBe(false);
    expect(tooBig('\u00e9'.repeat(max / 2 + 1), max)).toBe(true);
    expect(tooBig('\u{1F600}'.repeat(max / 4 + 1), max)).toBe(true);
    expect(tooBig(new Uint8Array(max + 1), max)).toBe(true);
    expect(tooBig(new ArrayBuffer(max), max)).toBe(false);
    expect(tooBig([new Uint8Array(max), new Uint8Array(1)], max)).toBe(true);
  });

  it('allows a burst, then the refill rate; closes with 1008 over it and 1009 over the size', () => {
    let now = 0;
    const limiter = messageLimiter({ maxMessageBytes: 16, messagesPerSecond: 10, burst: 5 }, () => now);
    expect(Array.from({ length: 5 }, () => limiter.check('ping'))).toEqual([null, null, null, null, null]);
    expect(limiter.check('ping')).toMatchObject({ code: CLOSE_POLICY_VIOLATION });
    now += 100;
    expect(limiter.check('ping')).toBeNull();
    expect(limiter.check('ping')).toMatchObject({ code: CLOSE_POLICY_VIOLATION });
    now += 60_000;
    expect(Array.from({ length: 6 }, () => limiter.check('ping')).filter((b) => b === null)).toHaveLength(5);
    expect(limiter.check('x'.repeat(17))).toMatchObject({ code: CLOSE_MESSAGE_TOO_BIG });
  });

  it('answers ping with pong and closes an offender with its code', () => {
    const sent: unknown[] = [];
    const socket = {
      send: (t: string) => sent.push(t),
      close: (code?: number, reason?: string) => sent.push([code, reason]),
    };
    const limiter = messageLimiter();
    expect(onClientMessage(socket, limiter, 'ping')).toBe(true);
    expect(onClientMessage(socket, limiter, Buffer.from('ping'))).toBe(true);
    expect(onClientMessage(socket, limiter, 'hello')).toBe(true);
    expect(onClientMessage(socket, limiter, 'x'.repeat(REALTIME_LIMITS.maxMessageBytes + 1))).toBe(false);
    expect(sent).toEqual(['pong', 'pong', [1009, 'message too big']]);
  });
});
