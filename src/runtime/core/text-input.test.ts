import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isApiError } from './errors.js';
import { assertStorable, storableUrl, unstorable } from './text-input.js';

function refusedField(run: () => void): unknown {
  try {
    run();
  } catch (err) {
    if (isApiError(err) && err.code === 'VALIDATION_FAILED') return Object.keys(err.details?.fields as object);
    throw err;
  }
  return 'accepted';
}

describe('text every database can store', () => {
  it('finds NUL and unpaired surrogates, and accepts pairs and every other character', () => {
    for (const bad of ['\u0000', 'a\u0000', '\uD800', 'x\uDBFFy', '\uDC00', 'a\uDFFF', '\uDC00\uD800'])
      expect(unstorable(bad), JSON.stringify(bad)).toBeDefined();
    for (const good of ['', 'plain', '😀', '\uD83D\uDE00\uD83D\uDE00', 'ü\u0001\u001f\uFFFD\uFFFF', '%00', '\\u0000'])
      expect(unstorable(good), JSON.stringify(good)).toBeUndefined();
  });

  it('names the first bad string of a body by its path, keys included', () => {
    expect(refusedField(() => assertStorable({ title: 'a\u0000' }))).toEqual(['title']);
    expect(refusedField(() => assertStorable({ records: [{ title: 'ok' }, { meta: { tags: ['x', '\uD800'] } }] })))
      .toEqual(['records.1.meta.tags.1']);
    expect(refusedField(() => assertStorable({ ['k\u0000']: 1 }))).toEqual(['k\u0000']);
    expect(refusedField(() => assertStorable('\uDC00'))).toEqual(['(body)']);
    expect(refusedField(() => assertStorable({ n: 1, b: true, z: null, s: 'fine 😀', a: [[]] }))).toBe('accepted');
  });

  it('checks every path segment and query parameter of a URL, decoded', async () => {
    const app = new Hono();
    app.use('*', storableUrl);
    app.onError((err, c) => c.json(isApiError(err) ? err.toBody() : { error: String(err) }, 400));
    app.all('*', (c) => c.text('through'));
    const call = async (url: string) => {
      const res = await app.request(url);
      return res.status === 200
        ? 'through'
        : Object.keys(((await res.json()) as { details: { fields: object } }).details.fields);
    };
    expect(await call('/api/v1/things/%00')).toEqual(['path']);
    expect(await call('/api/v1/things/%ED%A0%80')).toEqual(['path']);
    expect(await call('/api/v1/things?name.eq=a%00')).toEqual(['name']);
    expect(await call('/api/v1/things?a=1&sort=x%00y')).toEqual(['sort']);
    expect(await call('/api/v1/things?na%00me=1')).toEqual(['na\u0000me']);
    expect(await call('/api/v1/things?search=%ED%B0%80')).toEqual(['search']);
    expect(await call('/api/v1/things/thing_1?name.like=%F0%9F%98%80+x&flag&empty=')).toBe('through');
  });
});
