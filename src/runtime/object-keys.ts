/**
 * @module quickback/object-keys
 * Object keys of the file routes, read from the raw request path and refused unless plainly safe
 * (reference §7.3, path-safety): no encoded separators (`%2F`, `%5C`) or NUL, valid percent
 * encoding, no empty, `.` or `..` segment, no backslash or control character, at most 1024 bytes
 * in all and 255 per segment. A refused key is 400 VALIDATION_FAILED naming the reason.
 */
import { apiError } from './errors.js';

export const MAX_KEY_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

const bytes = (s: string) => new TextEncoder().encode(s).length;

function refuse(reason: string): never {
  throw apiError('VALIDATION_FAILED', { message: 'The object key is not allowed', details: { key: reason }, hint: 'Use a relative path of plain segments, such as avatars/ada.png.' });
}

/** The decoded key of a raw (still percent-encoded) path tail. */
export function objectKey(rawTail: string): string {
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
    if (segment === '' ) refuse('empty segments (a leading, trailing or double slash) are not allowed');
    if (segment === '.' || segment === '..') refuse('"." and ".." segments are not allowed');
    if (bytes(segment) > MAX_SEGMENT_BYTES) refuse(`a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return key;
}

/** A key as a URL path (each segment encoded). */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
