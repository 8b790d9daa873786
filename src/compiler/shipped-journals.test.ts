import { describe, expect, it } from 'vitest';
import type { EmittedFile } from './emit/contract.js';
import type { LoadedProject, MigrationHistory } from './load/types.js';
import { shippedJournals } from './migrations.js';

const entry = (idx: number, tag: string, when: number) => ({ idx, version: '6', when, tag, breakpoints: true });
const history = (name: string, entries: ReturnType<typeof entry>[]): MigrationHistory => ({
  dir: `quickback/drizzle/${name}`,
  journal: { version: '7', dialect: 'sqlite', entries },
  lastSnapshot: null,
});
const project = (migrations: LoadedProject['migrations']) => ({ migrations }) as LoadedProject;

describe('shippedJournals (src/db/migrations.ts)', () => {
  it('takes the journal planned this compile over the one on disk, per folder, with the last when', () => {
    const planned: EmittedFile = {
      path: 'quickback/drizzle/features/meta/_journal.json',
      ownership: 'history',
      emitter: 'migrations',
      contents: JSON.stringify({
        version: '7',
        dialect: 'sqlite',
        entries: [entry(0, '0000_init', 1_700_000_000_000), entry(1, '0001_alter_notes', 1_700_000_000_001)],
      }),
    };
    const onDisk = project({
      features: history('features', [entry(0, '0000_init', 1_700_000_000_000)]),
      auth: history('auth', [entry(0, '0000_init', 1_700_000_000_000)]),
    });
    expect(shippedJournals(onDisk, [planned])).toEqual({
      features: { tags: ['0000_init', '0001_alter_notes'], when: 1_700_000_000_001 },
      auth: { tags: ['0000_init'], when: 1_700_000_000_000 },
    });
  });

  it('leaves out folders without entries (nothing to apply there)', () => {
    expect(shippedJournals(project({ features: history('features', []), auth: null }), [])).toEqual({});
  });
});
