/**
 * @module test/support/fake-s3
 * A local S3-compatible object store for tests: path-style `PUT|GET|HEAD|DELETE /<bucket>/<key>`
 * on 127.0.0.1. It checks SigV4 as S3 does, with `node:crypto` (no code shared with
 * src/runtime/sigv4.ts): the access key and scope (date, region, `s3`), `x-amz-date` within 15
 * minutes, `x-amz-content-sha256` equal to the body's hash, and the signature over the canonical
 * request rebuilt from the wire (method, raw path, the SignedHeaders, the payload hash). Failures
 * answer 403 with S3's XML error.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeS3 {
  endpoint: string;
  objects: Map<string, { body: Buffer; type: string }>;
  refused: number;
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function verify(req: IncomingMessage, body: Buffer, keyId: string, secret: string): boolean {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/
      .exec(req.headers.authorization ?? '');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const payload = String(req.headers['x-amz-content-sha256'] ?? '');
  if (!auth || auth[1] !== keyId || !amzDate.startsWith(auth[2]) || payload !== sha256(body)) return false;
  const when = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${
      amzDate.slice(11, 13)
    }:${amzDate.slice(13, 15)}Z`,
  );
  if (Math.abs(Date.now() - when) > 15 * 60 * 1000) return false;
  const names = auth[4].split(';');
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, req.url!.split('?')[0], '', headers, auth[4], payload].join('\n');
  const scope = `${auth[2]}/${auth[3]}/s3/aws4_request`;
  let key = hmac(`AWS4${secret}`, auth[2]);
  for (const part of [auth[3], 's3', 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`);
  return timingSafeEqual(expected, Buffer.from(auth[5], 'hex'));
}

export async function startFakeS3(keyId: string, secret: string): Promise<FakeS3> {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const state = { refused: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!verify(req, body, keyId, secret)) {
        state.refused++;
        res.writeHead(403, { 'content-type': 'application/xml' }).end(
          '<Error><Code>SignatureDoesNotMatch</Code></Error>',
        );
        return;
      }
      const key = decodeURIComponent(req.url!.split('?')[0].slice(1));
      const object = objects.get(key);
      const etag = object ? `"${createHash('md5').update(object.body).digest('hex')}"` : '';
      if (req.method === 'PUT') {
        objects.set(key, { body, type: String(req.headers['content-type'] ?? 'application/octet-stream') });
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      } else if (!object) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end(
          req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code></Error>',
        );
      } else if (req.method === 'DELETE') {
        objects.delete(key);
        res.writeHead(204).end();
      } else {
        res.writeHead(200, { 'content-type': object.type, 'content-length': String(object.body.length), etag }).end(
          req.method === 'HEAD' ? undefined : object.body,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    get refused() {
      return state.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
