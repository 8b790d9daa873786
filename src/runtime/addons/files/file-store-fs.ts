/**
 * @module quickback/file-store-fs
 * The file store of Node and Bun: a local folder (FILES_DIR, default data/files). An object is
 * stored under the SHA-256 of its key (`objects/ab/abcd…`, with `…json` beside it holding the key,
 * content type, size and ETag), so no key maps onto a path of its own: `a` and `a/b` can both
 * exist, and no key can reach outside the folder. Both files are written to a temporary name and
 * renamed into place, the data first, so a reader never sees half a file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from './file-store.js';

interface Meta {
  key: string;
  contentType: string;
  size: number;
  etag: string;
}

export function fsStore(folder: string): FileStore {
  const root = path.resolve(folder);
  const paths = (key: string) => {
    const hash = createHash('sha256').update(key).digest('hex');
    const data = path.join(root, 'objects', hash.slice(0, 2), hash);
    return { data, meta: `${data}.json` };
  };
  const writeAtomic = async (file: string, contents: Uint8Array | string) => {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, contents);
    await rename(tmp, file);
  };
  const readMeta = async (file: string): Promise<Meta | null> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Meta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  };
  return {
    async put(key, body, contentType) {
      const { data, meta } = paths(key);
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
      await writeAtomic(data, body);
      await writeAtomic(meta, JSON.stringify({ key, contentType, size: body.byteLength, etag } satisfies Meta));
      return { etag };
    },
    async get(key) {
      const { data, meta } = paths(key);
      const info = await readMeta(meta);
      if (!info || info.key !== key) return null;
      try {
        return {
          contentType: info.contentType,
          size: info.size,
          etag: info.etag,
          body: new Uint8Array(await readFile(data)),
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(key) {
      const { data, meta } = paths(key);
      const existed = (await readMeta(meta)) !== null;
      await rm(meta, { force: true });
      await rm(data, { force: true });
      return existed;
    },
  };
}
