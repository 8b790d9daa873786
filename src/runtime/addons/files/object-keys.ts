/**
 * @module quickback/object-keys
 * Object keys of the file routes, read from the raw request path and refused unless plainly safe
 * (reference §7.3, path-safety): no encoded separators (`%2F`, `%5C`) or NUL, valid percent
 * encoding, no empty, `.` or `..` segment, no backslash or control character, at most 1024 bytes
 * in all and 255 per segment. A refused key is 400 VALIDATION_FAILED naming the reason.
 * Dot segments are refused in every spelling (`..`, `.%2e`, `%2E%2e`, double-encoded `%252e`,
 * decoded until nothing changes) and before anything resolves them: on Node the key is read from
 * the request target as the client sent it (@hono/node-server resolves `docs/../x` into `x`, and
 * `%2e%2e` is a dot segment to the URL parser), and a target whose dot segments led out of or
 * into `/storage/v1/object/` is refused as a whole (`requestTarget`).
 */
import { apiError } from '../../core/errors.js';

export const MAX_KEY_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

const bytes = (s: string) => new TextEncoder().encode(s).length;

function refuse(reason: string): never {
  throw apiError('VALIDATION_FAILED', {
    message: 'The object key is not allowed',
    details: { key: reason },
    hint: 'Use a relative path of plain segments, such as avatars/ada.png.',
  });
}

/** True for `.` and `..` however often percent-encoded. */
export function dotSegment(raw: string): boolean {
  // Each round that changes the segment shortens it, so this ends.
  for (let segment = raw;;) {
    if (segment === '.' || segment === '..') return true;
    let next: string;
    try {
      next = decodeURIComponent(segment);
    } catch {
      return false;
    }
    if (next === segment) return false;
    segment = next;
  }
}

/**
 * The path of the request target as sent (Node: the incoming request's own URL, `incoming`), else
 * of the request URL; refused when any of its segments is a dot segment in any encoding.
 */
export function requestTarget(url: string, incoming?: unknown): string {
  // An absolute-form target (`GET http://host/path`) is a path too, once its scheme and authority go.
  const sent = typeof incoming === 'string' ? incoming.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') : '';
  const raw = sent.startsWith('/') ? sent.replace(/[?#].*$/s, '') : new URL(url).pathname;
  if (raw.split('/').some(dotSegment)) refuse('"." and ".." segments are not allowed, in any encoding');
  return raw;
}

/** The decoded key of a raw (still percent-encoded) path tail. */
export function objectKey(rawTail: string): string {
  if (rawTail.split('/').some(dotSegment)) refuse('"." and ".." segments are not allowed, in any encoding');
  if (/%(2f|5c|00)/i.test(rawTail)) refuse('encoded separators and NUL are not allowed');
  let key: string;
  try {
    key = decodeURIComponent(rawTail);
  } catch {
    refuse('invalid percent-encoding');
  }
  if (key === '') refuse('empty');
  if (bytes(key) > MAX_KEY_BYTES) refuse(`longer than ${MAX_KEY_BYTES} bytes`);
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(key)) refuse('backslashes and control characters are not allowed');
  for (const segment of key.split('/')) {
    if (segment === '') refuse('empty segments (a leading, trailing or double slash) are not allowed');
    if (segment === '.' || segment === '..') refuse('"." and ".." segments are not allowed');
    if (bytes(segment) > MAX_SEGMENT_BYTES) refuse(`a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return key;
}

/** A key as a URL path (each segment encoded). */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
