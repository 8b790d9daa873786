/**
 * @module quickback/files
 * The file routes of `defineFileStorage` (reference §7.3), mounted at /storage/v1:
 *   PUT|POST /object/<key>  upload the raw body (Content-Type is the file's type)  → 201
 *   GET      /object/<key>  download (ETag, If-None-Match → 304)
 *   DELETE   /object/<key>  → 204
 * Signed-in callers only. Keys are validated (object-keys.ts) and scoped on the server: under the
 * active organization (`org/<id>/`, ORG_REQUIRED without one) or, with `userScopedBuckets` (or
 * without organizations), under the caller (`user/<id>/`), so no caller can name another tenant's
 * object. Size (`maxFileSize`: 413 from Content-Length before reading, or once the body passes it)
 * and type (`allowedTypes`, with `type/*` wildcards: 415; a declared type whose file signature is
 * known must match the first bytes) are checked on the server. Downloads are attachments with
 * `nosniff` and a sandboxing CSP, so an uploaded page never runs on the API's origin.
 */
import { Hono, type Context } from 'hono';
import { apiError } from '../../core/errors.js';
import type { FileStore } from './file-store.js';
import { keyPath, objectKey, requestTarget } from './object-keys.js';
import type { QuickbackEnv } from '../../core/types.js';

export interface FileOptions {
  store(c: Context): FileStore;
  maxFileSize: number;
  /** MIME types (`image/png`, `image/*`); null: any type. */
  allowedTypes: readonly string[] | null;
  /** Objects are public at https://<publicDomain>/<stored key> (an R2 custom domain). */
  publicDomain: string | null;
  scope: 'organization' | 'user';
}

export const FILES_BASE = '/storage/v1';
const OBJECT = '/object/';

/** File signatures of common declared types: the upload's first bytes must match. */
const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => ascii(b, 0, 4) === 'GIF8',
  'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
  'application/pdf': (b) => ascii(b, 0, 5) === '%PDF-',
};
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase() || 'application/octet-stream';
}

export function typeAllowed(type: string, allowed: readonly string[] | null): boolean {
  if (!allowed) return true;
  return allowed.some((a) => {
    const rule = a.toLowerCase();
    return rule === type || rule === '*/*' || (rule.endsWith('/*') && type.startsWith(rule.slice(0, -1)));
  });
}

/** The body, refused with 413 as soon as it passes `max` bytes (the rest is not read). */
async function readLimited(request: Request, max: number): Promise<Uint8Array> {
  const tooLarge = () =>
    apiError('PAYLOAD_TOO_LARGE', { message: 'The file is too large', details: { maxFileSize: max } });
  const length = Number(request.headers.get('content-length') ?? NaN);
  if (length > max) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

export function fileRoutes(options: FileOptions): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  // As sent: Node's server resolves dot segments before c.req.url, also out of /object/ (object-keys.ts).
  const target = (c: Context<QuickbackEnv>) =>
    requestTarget(c.req.url, (c.env as { incoming?: { url?: unknown } } | undefined)?.incoming?.url);
  app.use('*', async (c, next) => {
    target(c);
    await next();
  });
  /** The caller's scope + the validated key from the raw path. */
  const scopedKey = (c: Context<QuickbackEnv>) => {
    const ctx = c.get('ctx');
    if (!ctx.authenticated || !ctx.userId)
      throw apiError('AUTH_MISSING', { hint: 'Files are for signed-in callers: POST /auth/v1/sign-in/email' });
    const raw = target(c);
    const key = objectKey(raw.slice(raw.indexOf(OBJECT) + OBJECT.length));
    if (options.scope === 'user') return { key, stored: `user/${ctx.userId}/${key}` };
    if (!ctx.activeOrgId)
      throw apiError('ORG_REQUIRED', {
        hint:
          'Set an active organization (POST /auth/v1/organization/set-active, or create one: POST /auth/v1/organization/create) to store its files.',
      });
    return { key, stored: `org/${ctx.activeOrgId}/${key}` };
  };

  const upload = async (c: Context<QuickbackEnv>) => {
    const { key, stored } = scopedKey(c);
    const contentType = mediaType(c.req.header('content-type'));
    const refuse = (message: string) =>
      apiError('UNSUPPORTED_MEDIA_TYPE', { message, details: { contentType, allowedTypes: options.allowedTypes } });
    if (!typeAllowed(contentType, options.allowedTypes)) {
      await c.req.raw.body?.cancel().catch(() => undefined);
      throw refuse('This file type is not allowed');
    }
    const body = await readLimited(c.req.raw, options.maxFileSize);
    if (SIGNATURES[contentType] && !SIGNATURES[contentType](body)) throw refuse(`The file is not ${contentType}`);
    const { etag } = await options.store(c).put(stored, body, contentType);
    return c.json({
      key,
      size: body.byteLength,
      contentType,
      etag,
      path: `${FILES_BASE}${OBJECT}${keyPath(key)}`,
      url: options.publicDomain ? `https://${options.publicDomain}/${keyPath(stored)}` : null,
    }, 201);
  };
  app.put(`${OBJECT}*`, upload);
  app.post(`${OBJECT}*`, upload);

  app.get(`${OBJECT}*`, async (c) => {
    const { key, stored } = scopedKey(c);
    const file = await options.store(c).get(stored);
    if (!file) throw apiError('NOT_FOUND', { message: 'No such file' });
    const headers: Record<string, string> = {
      etag: file.etag,
      'cache-control': 'private, no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(key.slice(key.lastIndexOf('/') + 1))}`,
    };
    if (c.req.header('if-none-match') === file.etag) {
      if (file.body instanceof ReadableStream) await file.body.cancel();
      return c.body(null, 304, headers);
    }
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      ...headers,
      'content-type': file.contentType,
      'content-length': String(file.size),
    });
  });

  app.delete(`${OBJECT}*`, async (c) => {
    const { stored } = scopedKey(c);
    if (!(await options.store(c).delete(stored))) throw apiError('NOT_FOUND', { message: 'No such file' });
    return c.body(null, 204);
  });
  return app;
}
