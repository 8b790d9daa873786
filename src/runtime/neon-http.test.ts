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
    const fetch = preludeFetch(async (url, init) => { sent.push({ url, init }); return answer(JSON.parse(String(init.body))); });
    return { sent, fetch };
  };
  const results = (body: { queries: unknown[] }) => Response.json({ results: body.queries.map((_, i) => ({ rows: [[String(i)]] })) });

  it('sends a query without a prelude unchanged', async () => {
    const { sent, fetch } = recorder(() => Response.json({ rows: [['1']] }));
    const init = { method: 'POST', body: JSON.stringify({ query: 'select 1', params: [] }), headers: { 'Neon-Array-Mode': 'true' } };
    expect(await (await fetch('http://db/sql', init)).json()).toEqual({ rows: [['1']] });
    expect(sent).toEqual([{ url: 'http://db/sql', init }]);
  });

  it('runs a single query as a batch behind its prelude and answers the query\'s own result', async () => {
    const { sent, fetch } = recorder(results);
    const res = await fetch('http://db/sql', { method: 'POST', body: JSON.stringify({ query: 'select $1', params: ['x'] }), quickbackPrelude: 'SELECT set_config(1)' });
    expect(await res.json()).toEqual({ rows: [['1']] });
    expect(JSON.parse(String(sent[0].init.body))).toEqual({ queries: [{ query: 'SELECT set_config(1)', params: [] }, { query: 'select $1', params: ['x'] }] });
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
    const res = await fetch('http://db/sql', { method: 'POST', body: JSON.stringify({ query: 'q', params: [] }), quickbackPrelude: 'P' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'permission denied', code: '42501' });
  });
});
