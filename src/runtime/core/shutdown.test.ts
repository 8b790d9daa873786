/**
 * The shutdown sequence without a server (the real Node and Bun processes: test/conformance/shutdown.test.ts):
 * its deadline and exit codes, the settings, the webhook delivery loop stopping after the attempt
 * under way, and the realtime hub closing its sockets.
 */
import { describe, expect, it, vi } from 'vitest';
import { createHub } from '../addons/realtime/realtime-hub.js';
import type { Ticket } from '../addons/realtime/realtime-ticket.js';
import { millis, onShutdown, serverTimeouts, shutdown, type Drainable } from './shutdown.js';
import { startDeliveryLoop } from '../addons/webhooks/webhook-queue.js';

const quiet = () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
};
const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('shutdown', () => {
  it('exits 0 once the server and the registered work are done, then runs `onClose` in order, past a failing one', async () => {
    quiet();
    const order: string[] = [];
    const off = onShutdown(async () => {
      await later(20);
      order.push('task');
    });
    const server: Drainable = {
      close: async () => {
        await later(10);
        order.push('closed');
      },
      cut: () => {
        order.push('cut');
        return 0;
      },
    };
    const onClose = [
      () => {
        order.push('realtime');
      },
      () => Promise.reject(new Error('pool gone')),
      async () => {
        await later(5);
        order.push('pools');
      },
    ];
    expect(await shutdown(server, 5_000, onClose)).toBe(0);
    off();
    expect(order).toEqual(['closed', 'task', 'realtime', 'pools']);
    expect(vi.mocked(console.error).mock.calls.flat().join(' ')).toMatch(/pool gone/);
  });

  it('cuts what is left at the deadline, says so, and exits 1', async () => {
    quiet();
    let cut = false;
    const server: Drainable = {
      close: () => new Promise<void>(() => {}),
      cut: () => {
        cut = true;
        return 3;
      },
    };
    const started = Date.now();
    expect(await shutdown(server, 50)).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(cut).toBe(true);
    expect(vi.mocked(console.error).mock.calls.flat().join(' ')).toMatch(/deadline passed .*cut 3 request/);
  });

  it('does not wait past the deadline (at least a second) for a close that hangs', async () => {
    quiet();
    const server: Drainable = { close: async () => {}, cut: () => 0 };
    const started = Date.now();
    expect(await shutdown(server, 50, [() => new Promise(() => {})])).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(vi.mocked(console.error).mock.calls.flat().join(' ')).toMatch(
      /onClose\) did not answer within \d+ ms \(QUICKBACK_SHUTDOWN_TIMEOUT_MS\)/,
    );
  });

  it('reads its settings as positive milliseconds, with defaults', () => {
    expect(serverTimeouts({})).toEqual({ shutdownMs: 10_000, bodyMs: 30_000 });
    expect(serverTimeouts({ QUICKBACK_SHUTDOWN_TIMEOUT_MS: '2500', QUICKBACK_BODY_TIMEOUT_MS: '1000' })).toEqual({
      shutdownMs: 2500,
      bodyMs: 1000,
    });
    for (const bad of ['', ' ', '0', '-5', '1.5', 'ten', 'Infinity']) expect(millis(bad, 7)).toBe(7);
  });
});

describe('the webhook delivery loop at shutdown', () => {
  it('claims nothing more, and stop() waits for the attempt under way', async () => {
    let runs = 0;
    let release: () => void = () => {};
    let seen: AbortSignal | undefined;
    const loop = startDeliveryLoop(async (signal) => {
      runs++;
      seen = signal;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 1;
    }, 60_000);
    const first = loop.wake();
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await later(20);
    expect(seen?.aborted).toBe(true);
    expect(stopped).toBe(false); // the attempt under way is still running
    release();
    await Promise.all([first, stopping]);
    await loop.wake();
    expect(runs).toBe(1);
  });
});

describe('the realtime hub at shutdown', () => {
  it('closes every socket with 1001', () => {
    const hub = createHub(new Map());
    const closed: [number, string][] = [];
    const socket = {
      send: () => {},
      close: (code: number, reason: string) => {
        closed.push([code, reason]);
      },
    };
    const ticket = (channel: string) => ({ channel, ctx: { userId: 'u1' } }) as unknown as Ticket;
    hub.join(ticket('org:a'), socket);
    hub.join(ticket('org:b'), { ...socket });
    expect(hub.closeAll()).toBe(2);
    expect(closed).toEqual([[1001, 'server shutting down'], [1001, 'server shutting down']]);
    expect(hub.sockets()).toBe(0);
  });
});
