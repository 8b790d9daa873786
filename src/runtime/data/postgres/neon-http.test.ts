import { describe, expect, it } from 'vitest';
import { escapeLiteral, preludeFetch } from './neon-http.js';

describe('escapeLiteral', () => {
  it('quotes as node-postgres does', () => {
    expect(escapeLiteral('plain')).toBe("'plain'");
    expect(escapeLiteral(`it's`)).toBe("'it''s'");
    expect(escapeLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(escapeLiteral(`{"sub":"o'k\\"}`)).toBe(` E'{"sub":"o''k\\\\"}'`);
  });
});

describe('preludeFetch', () => {
  const recorder = (answer: (body: { queries: unknown[] }) => Response) => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetch = preludeFetch(async (url, init) => {
      sent.push({ url, init });
      return answer(JSON.parse(String(init.body)));
    });
    return { sent, fetch };
  };
  const results = (body: { queries: unknown[] }) =>
    Response.json({ results: body.queries.map((_, i) => ({ rows: [[String(i)]] })) });

  it('sends a query without a prelude unchanged', async () => {
    const { sent, fetch } = recorder(() => Response.json({ rows: [['1']] }));
    const init = {
      method: 'POST',
      body: JSON.stringify({ query: 'select 1', params: [] }),
      headers: { 'Neon-Array-Mode': 'true' },
    };
    expect(await (await fetch('http://db/sql', init)).json()).toEqual({ rows: [['1']] });
    expect(sent).toEqual([{ url: 'http://db/sql', init }]);
  });

  it("runs a single query as a batch behind its prelude and answers the query's own result", async () => {
    const { sent, fetch } = recorder(results);
    const res = await fetch('http://db/sql', {
      method: 'POST',
      body: JSON.stringify({ query: 'select $1', params: ['x'] }),
      quickbackPrelude: 'SELECT set_config(1)',
    });
    expect(await res.json()).toEqual({ rows: [['1']] });
    expect(JSON.parse(String(sent[0].init.body))).toEqual({
      queries: [{ query: 'SELECT set_config(1)', params: [] }, { query: 'select $1', params: ['x'] }],
    });
    expect(sent[0].init).not.toHaveProperty('quickbackPrelude');
  });

  it('puts the prelude in front of a batch and drops its result', async () => {
    const { sent, fetch } = recorder(results);
    const batch = { queries: [{ query: 'insert a', params: [] }, { query: 'insert b', params: [] }] };
    const res = await fetch('http://db/sql', { method: 'POST', body: JSON.stringify(batch), quickbackPrelude: 'P' });
    expect(await res.json()).toEqual({ results: [{ rows: [['1']] }, { rows: [['2']] }] });
    expect(JSON.parse(String(sent[0].init.body)).queries).toHaveLength(3);
  });

  it('passes a database error through as it came', async () => {
    const { fetch } = recorder(() => Response.json({ message: 'permission denied', code: '42501' }, { status: 400 }));
    const res = await fetch('http://db/sql', {
      method: 'POST',
      body: JSON.stringify({ query: 'q', params: [] }),
      quickbackPrelude: 'P',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'permission denied', code: '42501' });
  });
});

describe('preludeFetch with quickbackTimeoutMs', () => {
  const query = { method: 'POST', body: JSON.stringify({ query: 'select 1', params: [] }), quickbackTimeoutMs: 50 };

  it('fails a stalled endpoint after the bound and aborts its fetch', async () => {
    let signal: AbortSignal | undefined;
    const fetch = preludeFetch((_url, init) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>(() => {});
    });
    const started = Date.now();
    await expect(fetch('http://db/sql', query)).rejects.toMatchObject({
      code: 'ETIMEDOUT',
      message: expect.stringContaining('did not answer within 50 ms'),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
  });

  it('bounds a body that stalls after its headers, with a prelude or without', async () => {
    const stalled = () => new Response(new ReadableStream({ start() {} }), { status: 200 });
    await expect(preludeFetch(async () => stalled())('http://db/sql', query)).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
    await expect(preludeFetch(async () => stalled())('http://db/sql', { ...query, quickbackPrelude: 'P' })).rejects
      .toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('answers in time as without the bound, the option not sent on', async () => {
    const sent: RequestInit[] = [];
    const fetch = preludeFetch(async (_url, init) => {
      sent.push(init);
      return Response.json({ rows: [['1']] }, { status: 200 });
    });
    expect(await (await fetch('http://db/sql', query)).json()).toEqual({ rows: [['1']] });
    expect(sent[0]).not.toHaveProperty('quickbackTimeoutMs');
  });
});
