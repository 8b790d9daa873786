/**
 * @module quickback/realtime-limits
 * What a client may send on a /broadcast/v1 websocket (the protocol is server → client; clients
 * only ping): messages of at most 64 KiB, and per socket a token bucket of 20 messages a second
 * with bursts of 40. A socket over the size is closed with 1009 (message too big), over the rate
 * with 1008 (policy violation). One limiter per socket on every platform: the Node server (whose
 * `ws` server is also built with `maxPayload`, so an oversized frame is refused while it arrives,
 * never buffered), Bun (`maxPayloadLength`) and the Workers Broadcaster Durable Object.
 */

export interface RealtimeLimits {
  /** Largest message accepted, in bytes (UTF-8 for text). */
  maxMessageBytes: number;
  /** Messages a second a socket may send on average. */
  messagesPerSecond: number;
  /** Messages a socket may send at once (the bucket's size). */
  burst: number;
}

export const REALTIME_LIMITS: RealtimeLimits = { maxMessageBytes: 64 * 1024, messagesPerSecond: 20, burst: 40 };

export const CLOSE_MESSAGE_TOO_BIG = 1009;
export const CLOSE_POLICY_VIOLATION = 1008;

export interface LimitBreach {
  code: number;
  reason: string;
}

const TOO_BIG: LimitBreach = { code: CLOSE_MESSAGE_TOO_BIG, reason: 'message too big' };
const TOO_FAST: LimitBreach = { code: CLOSE_POLICY_VIOLATION, reason: 'too many messages' };

/** Whether a message is over `limit` bytes (UTF-8 for text), without encoding a text that is clearly over or under. */
export function tooBig(message: unknown, limit: number): boolean {
  if (typeof message === 'string') {
    if (message.length > limit) return true; // at least one byte per UTF-16 unit
    if (message.length * 3 <= limit) return false; // at most three bytes per unit
    return new TextEncoder().encode(message).byteLength > limit;
  }
  if (message instanceof ArrayBuffer || ArrayBuffer.isView(message)) return message.byteLength > limit;
  if (Array.isArray(message))
    return message.reduce((n: number, part: ArrayBufferView) => n + part.byteLength, 0) > limit;
  return false;
}

/**
 * A socket's limiter: `check` for each message it sends answers null (within the limits) or the
 * breach to close it with. `now` is injectable for tests.
 */
export function messageLimiter(limits: RealtimeLimits = REALTIME_LIMITS, now: () => number = Date.now) {
  let tokens = limits.burst;
  let last = now();
  return {
    check(message: unknown): LimitBreach | null {
      if (tooBig(message, limits.maxMessageBytes)) return TOO_BIG;
      const at = now();
      tokens = Math.min(limits.burst, tokens + ((at - last) / 1000) * limits.messagesPerSecond);
      last = at;
      if (tokens < 1) return TOO_FAST;
      tokens -= 1;
      return null;
    },
  };
}
export type MessageLimiter = ReturnType<typeof messageLimiter>;

/** The slice of a socket the limits act on (ws, Bun's ServerWebSocket, a Workers WebSocket). */
export interface ClosableSocket {
  send(text: string): unknown;
  close(code?: number, reason?: string): unknown;
}

/**
 * Handles one client message: closes the socket when it breaks a limit, answers "ping" with
 * "pong", ignores anything else. Answers whether the socket stays open.
 */
export function onClientMessage(socket: ClosableSocket, limiter: MessageLimiter, message: unknown): boolean {
  const breach = limiter.check(message);
  try {
    if (breach) socket.close(breach.code, breach.reason);
    else if (String(message) === 'ping') socket.send('pong');
  } catch {
    // the socket is closing already
  }
  return breach === null;
}
