import { describe, expect, it } from 'vitest';
import { isApiError } from '../../core/errors.js';
import { dotSegment, keyPath, objectKey, requestTarget } from './object-keys.js';

const reason = (raw: string): string | undefined => {
  try {
    objectKey(raw);
    return undefined;
  } catch (err) {
    if (!isApiError(err)) throw err;
    expect(err.code).toBe('VALIDATION_FAILED');
    return (err.details as { key: string }).key;
  }
};

describe('object keys', () => {
  it('accepts plain relative paths, decoding percent-encoding', () => {
    expect(objectKey('avatars/ada.png')).toBe('avatars/ada.png');
    expect(objectKey('docs/r%C3%A9sum%C3%A9%20v2.pdf')).toBe('docs/résumé v2.pdf');
    expect(objectKey('a/.hidden/b..c')).toBe('a/.hidden/b..c');
  });

  it.each([
    ['../etc/passwd', '".." segments'],
    ['a/../../b', '".." segments'],
    ['a/%2e%2e/b', '".." segments'],
    ['./a', '".." segments'],
    ['a%2Fb', 'encoded separators'],
    ['a%2f..%2fb', 'encoded separators'],
    ['a%5cb', 'encoded separators'],
    ['a%00b', 'encoded separators'],
    ['a\\b', 'backslashes'],
    ['a%0Ab', 'control characters'],
    ['%E0%A4%A', 'invalid percent-encoding'],
    ['', 'empty'],
    ['a//b', 'empty segments'],
    ['a/', 'empty segments'],
    ['x'.repeat(256), 'segment is longer'],
    [`${'x/'.repeat(512)}x`, 'longer than 1024'],
  ])('refuses %j (%s)', (raw, why) => {
    expect(reason(raw)).toContain(why.replace(/^"\.\." segments$/, 'segments are not allowed'));
  });

  it('keys with 1024 bytes and segments of 255 bytes pass', () => {
    const key = ['y'.repeat(255), 'y'.repeat(255), 'y'.repeat(255), 'y'.repeat(254), 'z'].join('/');
    expect(new TextEncoder().encode(key).length).toBe(1024);
    expect(objectKey(key)).toBe(key);
    expect(reason(`${key}z`)).toContain('longer than 1024');
  });

  it('keyPath encodes each segment and keeps the slashes', () => {
    expect(keyPath('docs/résumé v2.pdf')).toBe('docs/r%C3%A9sum%C3%A9%20v2.pdf');
  });
});

describe('dot segments in any encoding, before resolution', () => {
  it.each(['..', '.', '%2e%2e', '%2E%2e', '.%2E', '%2e', '%252e%252e', '%25252e'])(
    'dotSegment(%j) is true',
    (segment) => {
      expect(dotSegment(segment)).toBe(true);
    },
  );
  it.each(['...', '..a', '%2e%2e%2e', 'a.', '%2', '%252', '.hidden'])('dotSegment(%j) is false', (segment) => {
    expect(dotSegment(segment)).toBe(false);
  });
  it('requestTarget reads the raw target when given (Node) and refuses dot segments anywhere in it', () => {
    expect(requestTarget('http://h/storage/v1/object/x', '/storage/v1/object/docs/a.txt?x=1')).toBe(
      '/storage/v1/object/docs/a.txt',
    );
    expect(() => requestTarget('http://h/storage/v1/object/x', '/storage/v1/object/docs/%2e%2e/x')).toThrow();
    expect(() => requestTarget('http://h/storage/v1/object/x', '/storage/v1/y/../object/x')).toThrow();
    expect(requestTarget('http://h/storage/v1/object/docs/a.txt')).toBe('/storage/v1/object/docs/a.txt');
  });
});

describe('requestTarget with an absolute-form target', () => {
  it('reads its path and refuses its dot segments', () => {
    expect(requestTarget('http://h/x', 'http://h:1/storage/v1/object/a.txt')).toBe('/storage/v1/object/a.txt');
    expect(() => requestTarget('http://h/x', 'http://h:1/storage/v1/object/%2E%2e/a.txt')).toThrow();
    expect(dotSegment('%25252525252e')).toBe(true);
  });
});
