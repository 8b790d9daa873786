import { describe, expect, it } from 'vitest';
import { isApiError } from '../../core/errors.js';
import { s3ConfigFrom } from './file-store-s3.js';

describe('the S3 file store settings', () => {
  it('reads FILES_S3_* with region "auto" by default and no trailing slash on the endpoint', () => {
    expect(
      s3ConfigFrom({
        FILES_S3_BUCKET: 'b',
        FILES_S3_ENDPOINT: 'https://acc.r2.cloudflarestorage.com/',
        FILES_S3_ACCESS_KEY_ID: 'k',
        FILES_S3_SECRET_ACCESS_KEY: 's',
      }),
    )
      .toEqual({
        bucket: 'b',
        endpoint: 'https://acc.r2.cloudflarestorage.com',
        region: 'auto',
        accessKeyId: 'k',
        secretAccessKey: 's',
      });
  });

  it('a bucket without its endpoint or keys is 503 MISSING_ENV naming them', () => {
    try {
      s3ConfigFrom({ FILES_S3_BUCKET: 'b' });
      expect.fail('no error');
    } catch (err) {
      expect(isApiError(err) && err.toBody()).toMatchObject({
        code: 'MISSING_ENV',
        details: { missing: ['FILES_S3_ENDPOINT', 'FILES_S3_ACCESS_KEY_ID', 'FILES_S3_SECRET_ACCESS_KEY'] },
      });
    }
  });
});
