import { describe, expect, it } from 'vitest';
import { defineAuth, defineDatabase, defineFileStorage, defineRuntime } from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, summary } from '../test-project.js';
import { parseSize } from '../../model/files.js';
import { filesRule } from './files-rule.js';

const on = (runtime: 'node' | 'cloudflare', options: object) => config({
  providers: {
    runtime: defineRuntime(runtime, runtime === 'cloudflare' ? { compatibilityDate: '2026-04-26' } : {}),
    database: defineDatabase(
      runtime === 'cloudflare' ? 'cloudflare-d1' : 'better-sqlite3',
      runtime === 'cloudflare' ? { databaseId: 'f', authDatabaseId: 'a' } : {},
    ),
    auth: defineAuth('better-auth'),
    fileStorage: defineFileStorage('r2', options as never),
  },
});
const check = (c: ReturnType<typeof config>) => filesRule(project({ config: c }));

describe('files rule', () => {
  it('accepts the documented options on Workers and Node with no diagnostics from any rule', () => {
    const options = {
      binding: 'FILES',
      maxFileSize: '10mb',
      allowedTypes: ['image/png', 'image/jpeg', 'application/pdf', 'text/*'],
      publicDomain: 'files.example.com',
      userScopedBuckets: true,
    };
    expect(validate(project({ config: on('cloudflare', options) }))).toEqual([]);
    const { binding: _, ...node } = options;
    expect(validate(project({ config: on('node', node) }))).toEqual([]);
  });

  it('reports a size, a type or a domain that does not parse, at its path', () => {
    expect(
      summary(
        check(
          on('node', {
            maxFileSize: '10 megs',
            allowedTypes: ['image/png', 'png', 'text/'],
            publicDomain: 'https://files.example.com/x',
          }),
        ),
      ),
    ).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ providers.fileStorage.maxFileSize',
      'QB_VALIDATE_INVALID_OPTION @ providers.fileStorage.allowedTypes[1]',
      'QB_VALIDATE_INVALID_OPTION @ providers.fileStorage.allowedTypes[2]',
      'QB_VALIDATE_INVALID_OPTION @ providers.fileStorage.publicDomain',
    ]);
  });

  it('warns about options with nothing to apply to: managed anywhere, the R2 binding and bucket off Workers', () => {
    expect(summary(check(on('node', { managed: true, binding: 'FILES', bucketName: 'media' })))).toEqual([
      'QB_WARN_OPTION_NO_EFFECT @ providers.fileStorage.managed',
      'QB_WARN_OPTION_NO_EFFECT @ providers.fileStorage.binding',
      'QB_WARN_OPTION_NO_EFFECT @ providers.fileStorage.bucketName',
    ]);
    expect(check(on('cloudflare', { binding: 'FILES', bucketName: 'media' }))).toEqual([]);
  });

  it('parses sizes in bytes, kb, mb and gb (1024-based)', () => {
    expect([
      parseSize('2048'),
      parseSize('10mb'),
      parseSize('512 KB'),
      parseSize('1.5gb'),
      parseSize('0'),
      parseSize('ten'),
    ]).toEqual([2048, 10485760, 524288, 1610612736, null, null]);
  });
});
