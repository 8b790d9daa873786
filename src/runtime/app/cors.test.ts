import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { corsAndSecurityHeaders } from './cors.js';
import type { QuickbackEnv } from '../core/types.js';

function app(origins: string[] | (() => string[]) = ['http://localhost:5173']) {
  const hono = new Hono<QuickbackEnv>();
  hono.use(
    '*',
    corsAndSecurityHeaders({ corsOrigins: origins, securityHeaders: { 'x-content-type-options': 'nosniff' } }),
  );
  hono.post('/api/v1/things', (c) => c.json({ ok: true }, 201));
  hono.get('/fails', () => {
    throw new Error('boom');
  });
  hono.onError((_err, c) => c.json({ code: 'INTERNAL_SERVER_ERROR' }, 500));
  return hono;
}

const preflight = (origin: string, method = 'POST', headers = 'content-type') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
});

describe('corsAndSecurityHeaders', () => {
  it('answers a trusted preflight with 204 and every allow header, before any route or middleware runs', async () => {
    const res = await app().request(
      '/api/v1/things',
      preflight('http://localhost:5173', 'PATCH', 'content-type, x-api-key'),
    );
    expect(res.status).toBe(204);
    expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,HEAD,PUT,POST,DELETE,PATCH',
      'access-control-allow-headers': 'content-type,x-api-key',
      'access-control-expose-headers': 'set-auth-token,ETag,x-request-id',
      'access-control-max-age': '600',
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives an untrusted origin a bare 204 preflight and no allow header on its requests', async () => {
    const res = await app().request('/api/v1/things', preflight('https://evil.example'));
    expect(res.status).toBe(204);
    expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    const post = await app().request('/api/v1/things', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(post.status).toBe(201);
    expect([...post.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(post.headers.get('vary')).toBe('Origin');
  });

  it('reads the trusted list per request (Workers bindings) and marks errors of trusted origins too', async () => {
    let list = ['https://a.example'];
    const hono = app(() => list);
    expect(
      (await hono.request('/fails', { headers: { origin: 'https://a.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBe('https://a.example');
    list = ['https://b.example'];
    expect(
      (await hono.request('/fails', { headers: { origin: 'https://a.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
  });

  it('leaves requests without an Origin alone, and OPTIONS without a preflight to routing', async () => {
    const res = await app().request('/api/v1/things', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.headers.get('vary')).toBeNull();
    expect(
      (await app().request('/api/v1/things', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } }))
        .status,
    ).toBe(404);
  });
});
