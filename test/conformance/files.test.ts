/**
 * defineFileStorage (issue #12 §3): uploads and downloads at /storage/v1/object/<key> on Node (a
 * local folder) in-process and on the compiled Worker under workerd (R2 in miniflare) over real
 * HTTP. One suite on both: within limits, 413 past maxFileSize (declared or streamed), 415 for a
 * type outside allowedTypes or bytes that are not the declared type, unsafe keys refused, and
 * tenants kept apart (organizations by default; users with userScopedBuckets).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type FetchLike } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';
import { startFakeS3 } from '../support/fake-s3.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const files = (extra = '') =>
  [
    ['import { defineAuth,', 'import { defineFileStorage, defineAuth,'],
    [
      '    auth: defineAuth("better-auth", {',
      `    fileStorage: defineFileStorage("r2", { maxFileSize: "2kb", allowedTypes: ["image/png", "text/*"], publicDomain: "files.example.com"${extra} }),\n    auth: defineAuth("better-auth", {`,
    ],
  ] as [string, string][];

interface Target {
  fetch: FetchLike;
  baseURL: string;
  stored(key: string): Promise<boolean>;
  close(): Promise<void>;
}

async function nodeTarget(label: string, extra: string): Promise<Target> {
  const root = copyFixture('helpdesk', label, { config: files(extra) });
  const dir = path.join(root, 'uploads');
  const t = await inProcessTarget(root, 'better-sqlite3', true, { FILES_DIR: dir });
  // Objects are stored under the SHA-256 of their scoped key, never at a path the key names.
  return {
    ...t,
    stored: async (key) => {
      const hash = createHash('sha256').update(key).digest('hex');
      const named = readdirSync(dir, { recursive: true }).map(String);
      expect(named.some((f) => f.includes('avatars') || f.includes('notes'))).toBe(false);
      return existsSync(path.join(dir, 'objects', hash.slice(0, 2), `${hash}.json`));
    },
  };
}

async function workerTarget(label: string, extra: string): Promise<Target> {
  const root = copyFixture('helpdesk', label, { config: [...CLOUDFLARE, ...files(extra)] });
  await compile({ cwd: root });
  const w = await startWorker(root);
  const bucket = await w.mf.getR2Bucket('FILES');
  return {
    fetch: (r) => fetch(r),
    baseURL: w.baseURL,
    stored: async (key) => (await bucket.head(key)) !== null,
    close: () => w.mf.dispose(),
  };
}

/** Node with FILES_S3_* set: the same routes over an S3-compatible bucket (a local fake that checks SigV4). */
async function s3Target(label: string, extra: string): Promise<Target> {
  const s3 = await startFakeS3('AKIDTEST', 'secret-test-key');
  const root = copyFixture('helpdesk', label, { config: files(extra) });
  const t = await inProcessTarget(root, 'better-sqlite3', true, {
    FILES_S3_BUCKET: 'media',
    FILES_S3_ENDPOINT: s3.endpoint,
    FILES_S3_ACCESS_KEY_ID: 'AKIDTEST',
    FILES_S3_SECRET_ACCESS_KEY: 'secret-test-key',
    FILES_S3_REGION: 'auto',
  });
  return {
    ...t,
    stored: async (key) => {
      expect(s3.refused).toBe(0);
      return s3.objects.has(`media/${key}`);
    },
    close: async () => {
      await t.close();
      await s3.close();
    },
  };
}

describe.each(
  [
    ['node (local folder)', nodeTarget],
    ['node (S3-compatible bucket)', s3Target],
    ['cloudflare (R2 under workerd)', workerTarget],
  ] as const,
)('file storage on %s', (name, start) => {
  let t: Target;
  let org: { ada: User; bob: User; eve: User; id: string };
  const send = (
    user: User | null,
    method: string,
    key: string,
    body?: BodyInit,
    headers: Record<string, string> = {},
  ) => {
    const cookie = user ? [...user.jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
    return t.fetch(
      new Request(
        `${t.baseURL}/storage/v1/object/${key}`,
        {
          method,
          body,
          headers: { ...(cookie ? { cookie } : {}), origin: t.baseURL, ...headers },
          duplex: 'half',
        } as RequestInit,
      ),
    );
  };

  beforeAll(async () => {
    t = await start(`files-${name.split(' ')[0]}${name.includes('S3') ? '-s3' : ''}`, '');
    const [ada, bob, eve] = await Promise.all(['Ada', 'Bob', 'Eve'].map((n) => signUp(t.fetch, t.baseURL, n)));
    const id = await createOrg(ada, 'Files');
    await addMember(ada, bob, id, 'member');
    await createOrg(eve, 'Other');
    org = { ada, bob, eve, id };
  }, 120_000);
  afterAll(() => t?.close());

  it('uploads within the limits and downloads the same bytes as an attachment; a member of the organization reads it too', async () => {
    const up = await send(org.ada, 'PUT', 'avatars/ada%201.png', PNG, { 'content-type': 'image/png' });
    expect(up.status).toBe(201);
    const body = await up.json();
    expect(body).toMatchObject({
      key: 'avatars/ada 1.png',
      size: PNG.byteLength,
      contentType: 'image/png',
      path: '/storage/v1/object/avatars/ada%201.png',
    });
    expect(body.url).toBe(`https://files.example.com/org/${org.id}/avatars/ada%201.png`);
    expect(await t.stored(`org/${org.id}/avatars/ada 1.png`)).toBe(true);
    for (const reader of [org.ada, org.bob]) {
      const down = await send(reader, 'GET', 'avatars/ada%201.png');
      expect(down.status).toBe(200);
      expect(new Uint8Array(await down.arrayBuffer())).toEqual(PNG);
      expect(down.headers.get('content-type')).toBe('image/png');
      expect(down.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''ada%201.png");
      expect(down.headers.get('x-content-type-options')).toBe('nosniff');
      const again = await send(reader, 'GET', 'avatars/ada%201.png', undefined, {
        'if-none-match': down.headers.get('etag')!,
      });
      expect(again.status).toBe(304);
    }
  });

  it('refuses a file past maxFileSize with 413, whether declared or streamed, and stores nothing', async () => {
    const big = new TextEncoder().encode('x'.repeat(2049));
    const declared = await send(org.ada, 'PUT', 'big.txt', big, { 'content-type': 'text/plain' });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      layer: 'validation',
      details: { maxFileSize: 2048 },
    });
    const stream = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 5; i++) ctl.enqueue(new TextEncoder().encode('y'.repeat(500)));
        ctl.close();
      },
    });
    const streamed = await send(org.ada, 'PUT', 'big2.txt', stream, { 'content-type': 'text/plain' });
    expect(streamed.status).toBe(413);
    for (const key of ['big.txt', 'big2.txt']) expect((await send(org.ada, 'GET', key)).status).toBe(404);
    expect(
      (await send(org.ada, 'PUT', 'exact.txt', new Uint8Array(2048).fill(65), {
        'content-type': 'text/plain; charset=utf-8',
      })).status,
    ).toBe(201);
  });

  it('refuses types outside allowedTypes, and bytes that are not the declared type, with 415', async () => {
    const html = await send(org.ada, 'PUT', 'page.html', '<script>alert(1)</script>', {
      'content-type': 'application/pdf',
    });
    expect(html.status).toBe(415);
    expect(await html.json()).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: { contentType: 'application/pdf', allowedTypes: ['image/png', 'text/*'] },
    });
    const fake = await send(org.ada, 'PUT', 'fake.png', '<svg onload=alert(1)>', { 'content-type': 'image/png' });
    expect(fake.status).toBe(415);
    expect((await fake.json()).error).toBe('The file is not image/png');
    expect((await send(org.ada, 'PUT', 'notes.md', '# hi', { 'content-type': 'text/markdown' })).status).toBe(201);
  });

  it.each(['a%2F..%2Fb', '..%5Cetc', 'a%00b', 'x'.repeat(256), 'a//b', '%E0%A4%A'])(
    'refuses the key %j with 400',
    async (key) => {
      const res = await send(org.ada, 'PUT', key, 'x', { 'content-type': 'text/plain' });
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe('VALIDATION_FAILED');
    },
  );

  it("keeps organizations apart: another organization's caller gets 404 for the same key, and cannot delete it", async () => {
    expect((await send(org.eve, 'GET', 'avatars/ada%201.png')).status).toBe(404);
    expect((await send(org.eve, 'DELETE', 'avatars/ada%201.png')).status).toBe(404);
    expect((await send(org.ada, 'GET', 'avatars/ada%201.png')).status).toBe(200);
  });

  it('needs a signed-in caller with an active organization; deletes answer 204 then 404', async () => {
    expect((await send(null, 'GET', 'avatars/ada%201.png')).status).toBe(401);
    const loner = await signUp(t.fetch, t.baseURL, 'Loner');
    expect(await (await send(loner, 'GET', 'x.txt')).json()).toMatchObject({ code: 'ORG_REQUIRED' });
    expect((await send(org.bob, 'DELETE', 'notes.md')).status).toBe(204);
    expect((await send(org.bob, 'DELETE', 'notes.md')).status).toBe(404);
  });
});

describe.each([['node', nodeTarget], ['node-s3', s3Target], ['cloudflare', workerTarget]] as const)(
  'userScopedBuckets on %s',
  (name, start) => {
    let t: Target;
    beforeAll(async () => {
      t = await start(`files-user-${name}`, ', userScopedBuckets: true');
    }, 120_000);
    afterAll(() => t?.close());

    it("user A cannot read user B's object, even in the same organization", async () => {
      const [a, b] = await Promise.all(['A', 'B'].map((n) => signUp(t.fetch, t.baseURL, n)));
      const id = await createOrg(a, 'Shared');
      await addMember(a, b, id, 'member');
      const put = (u: User, body: string) =>
        t.fetch(
          new Request(`${t.baseURL}/storage/v1/object/notes.txt`, {
            method: 'PUT',
            body,
            headers: {
              'content-type': 'text/plain',
              cookie: [...u.jar].map(([k, v]) => `${k}=${v}`).join('; '),
              origin: t.baseURL,
            },
          }),
        );
      const get = (u: User) =>
        t.fetch(
          new Request(`${t.baseURL}/storage/v1/object/notes.txt`, {
            headers: { cookie: [...u.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
          }),
        );
      const up = await put(a, 'from A');
      expect((await up.json()).url).toBe(`https://files.example.com/user/${a.userId}/notes.txt`);
      expect(await t.stored(`user/${a.userId}/notes.txt`)).toBe(true);
      expect((await get(b)).status).toBe(404);
      await put(b, 'from B');
      expect(await (await get(a)).text()).toBe('from A');
      expect(await (await get(b)).text()).toBe('from B');
    });
  },
);
