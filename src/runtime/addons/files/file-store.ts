/**
 * @module quickback/file-store
 * Where uploaded files live, behind one interface: an R2 bucket binding on Workers, a local
 * folder on Node and Bun (file-store-fs.ts). Keys arrive validated and already scoped.
 */
export interface StoredFile {
  body: ReadableStream<Uint8Array> | Uint8Array;
  contentType: string;
  size: number;
  /** A quoted entity tag. */
  etag: string;
}

export interface FileStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<{ etag: string }>;
  get(key: string): Promise<StoredFile | null>;
  /** Whether there was an object to delete. */
  delete(key: string): Promise<boolean>;
}

/** The slice of an R2 bucket binding used here. */
export interface R2Like {
  put(
    key: string,
    value: Uint8Array,
    options: { httpMetadata: { contentType: string } },
  ): Promise<{ httpEtag: string } | null>;
  get(
    key: string,
  ): Promise<
    { body: ReadableStream<Uint8Array>; size: number; httpEtag: string; httpMetadata?: { contentType?: string } } | null
  >;
  head(key: string): Promise<unknown>;
  delete(key: string): Promise<void>;
}

export function r2Store(bucket: R2Like): FileStore {
  return {
    async put(key, body, contentType) {
      const object = await bucket.put(key, body, { httpMetadata: { contentType } });
      return { etag: object?.httpEtag ?? '""' };
    },
    async get(key) {
      const object = await bucket.get(key);
      if (!object) return null;
      return {
        body: object.body,
        contentType: object.httpMetadata?.contentType ?? 'application/octet-stream',
        size: object.size,
        etag: object.httpEtag,
      };
    },
    async delete(key) {
      if ((await bucket.head(key)) === null) return false;
      await bucket.delete(key);
      return true;
    },
  };
}
