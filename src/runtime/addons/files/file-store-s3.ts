/**
 * @module quickback/file-store-s3
 * An S3-compatible file store for Node and Bun (AWS S3, Cloudflare R2's S3 API, MinIO, …), chosen
 * when FILES_S3_BUCKET is set: path-style URLs on FILES_S3_ENDPOINT, requests signed with SigV4
 * (sigv4.ts, region FILES_S3_REGION, default "auto" as R2 wants). So a project that stores files
 * in R2 on Workers can keep the same bucket when it runs on Node. Keys arrive validated and scoped.
 */
import { apiError } from '../../core/errors.js';
import type { FileStore } from './file-store.js';
import { keyPath } from './object-keys.js';
import { signRequest } from '../../crypto/sigv4.js';

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  fetch?: typeof fetch;
}

export const S3_ENV = [
  'FILES_S3_ENDPOINT',
  'FILES_S3_BUCKET',
  'FILES_S3_ACCESS_KEY_ID',
  'FILES_S3_SECRET_ACCESS_KEY',
] as const;

/** The S3 settings of the env, or a 503 MISSING_ENV naming what is missing when the bucket is set without them. */
export function s3ConfigFrom(env: Record<string, string | undefined>): S3Config {
  const missing = S3_ENV.filter((key) => !env[key]);
  if (missing.length > 0)
    throw apiError('MISSING_ENV', {
      details: { missing },
      hint: 'FILES_S3_BUCKET selects the S3 file store; it needs the endpoint and the access keys too.',
    });
  return {
    endpoint: env.FILES_S3_ENDPOINT!.replace(/\/+$/, ''),
    bucket: env.FILES_S3_BUCKET!,
    region: env.FILES_S3_REGION || 'auto',
    accessKeyId: env.FILES_S3_ACCESS_KEY_ID!,
    secretAccessKey: env.FILES_S3_SECRET_ACCESS_KEY!,
  };
}

export function s3Store(config: () => S3Config): FileStore {
  const call = async (
    method: string,
    key: string,
    body: Uint8Array = new Uint8Array(0),
    headers: Record<string, string> = {},
  ) => {
    const c = config();
    const url = `${c.endpoint}/${encodeURIComponent(c.bucket)}/${keyPath(key)}`;
    const signed = await signRequest({
      method,
      url,
      headers,
      body,
      region: c.region,
      service: 's3',
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
    });
    const response = await (c.fetch ?? fetch)(url, {
      method,
      headers: signed,
      body: method === 'PUT' ? (body as Uint8Array<ArrayBuffer>) : undefined,
    });
    if (!response.ok && response.status !== 404) {
      const text = await response.text().catch(() => '');
      throw new Error(`S3 ${method} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return response;
  };
  return {
    async put(key, body, contentType) {
      const response = await call('PUT', key, body, { 'content-type': contentType });
      return { etag: response.headers.get('etag') ?? '""' };
    },
    async get(key) {
      const response = await call('GET', key);
      if (response.status === 404 || !response.body) return null;
      return {
        body: response.body,
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        size: Number(response.headers.get('content-length') ?? 0),
        etag: response.headers.get('etag') ?? '""',
      };
    },
    async delete(key) {
      if ((await call('HEAD', key)).status === 404) return false;
      await call('DELETE', key);
      return true;
    },
  };
}
