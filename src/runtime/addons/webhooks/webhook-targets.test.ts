import { lookup } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { checkTarget, internalAddress } from './webhook-targets.js';

const resolve = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);
const strict = { allowInsecure: false, resolve };

describe('webhook targets (SSRF block-list)', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://127.1.2.3/',
    'https://localhost/hook',
    'https://api.localhost/',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.7/',
    'https://172.20.1.1/',
    'https://192.168.1.10/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://metadata.google.internal/',
    'https://printer.local/',
    'https://2130706433/',
  ])('refuses %s', async (url) => {
    const check = await checkTarget(url, strict);
    expect(check.ok).toBe(false);
  });

  it('refuses a public-looking name that resolves to an internal address, http without allowInsecure, and credentials', async () => {
    expect(
      await checkTarget('https://hooks.example.com/x', {
        allowInsecure: false,
        resolve: async () => ['93.184.216.34', '10.1.2.3'],
      }),
    ).toEqual({ ok: false, reason: 'hooks.example.com resolves to the internal address 10.1.2.3' });
    expect(await checkTarget('http://hooks.example.com/x', { allowInsecure: false })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('only https'),
    });
    expect(await checkTarget('https://user:pass@hooks.example.com/x', { allowInsecure: false })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('credentials'),
    });
    expect(await checkTarget('https://nope.invalid/x', strict)).toMatchObject({
      ok: false,
      reason: 'nope.invalid does not resolve',
    });
  });

  it('allows public addresses, http with allowInsecure, and loopback only when the test relaxes it', async () => {
    expect(await checkTarget('https://93.184.216.34/hook', strict)).toMatchObject({ ok: true });
    expect(
      await checkTarget('http://hooks.example.com/x', { allowInsecure: true, resolve: async () => ['93.184.216.34'] }),
    ).toMatchObject({ ok: true });
    expect(await checkTarget('http://127.0.0.1:9999/hook', { allowInsecure: true, allowPrivate: true })).toMatchObject({
      ok: true,
    });
    expect([internalAddress('8.8.8.8'), internalAddress('2606:4700::1111'), internalAddress('not-an-ip')]).toEqual([
      false,
      false,
      true,
    ]);
  });
});
