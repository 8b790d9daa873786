/**
 * The incremental compile cache: output with and without it is byte-identical on every fixture
 * (cold, warm, and after edits, including a randomized edit sequence with a fixed, logged seed);
 * an unchanged definition is taken from the cache and a changed one, or one whose import changed,
 * is loaded again; a corrupt cache is discarded with a warning, an old one silently.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE, CompileMemo } from '../../src/compiler/cache/index.js';
import { compile } from '../../src/compiler/index.js';
import { isQuickbackError } from '../../src/shared/errors.js';
import { copyFixture } from '../helpers/project.js';
import { contents } from '../cli/run-cli.js';

const outputOf = (root: string) => contents(root);

/** Compiles; a failing compile yields its diagnostics, so failures compare too. */
async function outcome(root: string, cache: boolean, memo?: CompileMemo): Promise<unknown> {
  try {
    const result = await compile({ cwd: root, cache: cache ? {} : false, memo });
    return { ok: true, written: result.written, deleted: result.deleted, diagnostics: result.diagnostics };
  } catch (thrown) {
    if (!isQuickbackError(thrown)) throw thrown;
    return { ok: false, diagnostics: thrown.toDiagnostics() };
  }
}

function edit(root: string, rel: string, change: (text: string) => string): void {
  const file = path.join(root, rel);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

describe.each(['helpdesk', 'solo', 'interop', 'legacy'])('compile cache: %s', (fixture) => {
  it('gives byte-identical output with and without the cache, cold, warm and after an edit', async () => {
    const cached = copyFixture(fixture, `cache-on-${fixture}`);
    const plain = copyFixture(fixture, `cache-off-${fixture}`);
    const both = async () => {
      const [a, b] = [await outcome(cached, true), await outcome(plain, false)];
      expect(a).toEqual(b);
      expect(outputOf(cached)).toEqual(outputOf(plain));
    };
    await both(); // cold: the cache is written
    await both(); // warm: everything from the cache
    const config = 'quickback/quickback.config.ts';
    edit(cached, config, (t) => `${t}\n// touched\n`);
    edit(plain, config, (t) => `${t}\n// touched\n`);
    await both();
  });
});

describe('compile cache: reuse and invalidation', () => {
  it('reuses unchanged definitions and reloads a changed one, or one whose import changed', async () => {
    const root = copyFixture('helpdesk', 'cache-reuse', {
      files: {
        'shared/limits.ts': 'export const NOTE_MAX = 500;\n',
        'quickback/features/notes/notes.ts':
          'import { feature, q } from "@quickback/compiler";\nimport { NOTE_MAX } from "../../../shared/limits";\nexport default feature("notes", { columns: { id: q.id(), body: q.text({ maxLength: NOTE_MAX }).required(), ownerId: q.scope("owner") } });\n',
      },
    });
    const first = await compile({ cwd: root });
    expect(first.cache!.reused).toEqual([]);
    expect(first.sources).toContain('shared/limits.ts');
    const loadedFirst = first.cache!.loaded;

    const second = await compile({ cwd: root });
    expect(second.cache!.loaded).toEqual([]);
    expect(second.cache!.reused).toEqual(loadedFirst);
    expect(second.written).toEqual([]);

    edit(root, 'shared/limits.ts', () => 'export const NOTE_MAX = 900;\n');
    const third = await compile({ cwd: root });
    expect(third.cache!.loaded).toEqual(['quickback/features/notes/notes.ts']);
    expect(third.written.filter((f) => f.startsWith('src/features/notes/')).length).toBeGreaterThan(0);

    edit(root, 'quickback/features/tickets/tickets.ts', (t) => t.replace('maxLength: 140', 'maxLength: 150'));
    const fourth = await compile({ cwd: root });
    // actions.ts imports tickets.ts, so it is loaded again too.
    expect(fourth.cache!.loaded).toEqual([
      'quickback/features/tickets/actions.ts',
      'quickback/features/tickets/tickets.ts',
    ]);
    expect(fourth.written.filter((f) => f.startsWith('src/features/tickets/')).length).toBeGreaterThan(0);
  });

  it.each([
    ['garbage', () => 'not a cache at all'],
    ['a flipped byte', (text: string) => text.slice(0, -10) + (text.at(-10) === 'A' ? 'B' : 'A') + text.slice(-9)],
    ['a truncated body', (text: string) => text.slice(0, Math.floor(text.length / 2))],
  ])('discards a corrupt cache (%s) with a warning, and writes a good one', async (_label, corrupt) => {
    const root = copyFixture('helpdesk', 'cache-corrupt');
    const reference = copyFixture('helpdesk', 'cache-corrupt-ref');
    await compile({ cwd: root });
    await compile({ cwd: reference, cache: false });
    const file = path.join(root, ...CACHE_FILE.split('/'));
    writeFileSync(file, corrupt(readFileSync(file, 'utf8')));
    edit(root, 'quickback/features/notes/notes.ts', (t) => `${t}// edit\n`);
    edit(reference, 'quickback/features/notes/notes.ts', (t) => `${t}// edit\n`);
    const result = await compile({ cwd: root });
    await compile({ cwd: reference, cache: false });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'QB_LOAD_CACHE_DISCARDED', severity: 'warning', file: CACHE_FILE }),
    ]);
    expect(result.cache!.reused).toEqual([]);
    expect(outputOf(root)).toEqual(outputOf(reference));
    const again = await compile({ cwd: root });
    expect(again.diagnostics).toEqual([]);
    expect(again.cache!.loaded).toEqual([]);
  });

  it('discards a cache from another compiler version or lockfile silently', async () => {
    const root = copyFixture('helpdesk', 'cache-stale');
    await compile({ cwd: root });
    const file = path.join(root, ...CACHE_FILE.split('/'));
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^quickback-compile-cache\/4 /, 'quickback-compile-cache/0 '),
    );
    const older = await compile({ cwd: root });
    expect(older.diagnostics).toEqual([]);
    expect(older.cache!.reused).toEqual([]);
    writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
    const relocked = await compile({ cwd: root });
    expect(relocked.cache!.reused).toEqual([]);
    expect((await compile({ cwd: root })).cache!.loaded).toEqual([]);
  });

  it('--no-cache neither reads nor writes the cache', async () => {
    const root = copyFixture('solo', 'cache-off');
    const result = await compile({ cwd: root, cache: false });
    expect(result.cache).toBeNull();
    expect(existsSync(path.join(root, 'quickback/.quickback/cache'))).toBe(false);
  });
});

describe('compile cache: randomized edits', () => {
  const SEED = 20261125;
  it(
    `with the cache and the watch process's emit memo, matches a compile without either after every step (seed ${SEED})`,
    async () => {
      console.log(`cache randomized edits: fast-check seed ${SEED}`);
      const features = ['tickets', 'notes', 'comments'];
      let okRuns = 0;
      let reusedTotal = 0;
      const step = fc.record({
        feature: fc.constantFrom(...features),
        kind: fc.constantFrom('comment', 'column', 'drop-column', 'delete-file'),
        n: fc.nat(1000),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 6 }), async (steps) => {
          const cached = copyFixture('helpdesk', 'cache-rand-on');
          const plain = copyFixture('helpdesk', 'cache-rand-off');
          const memo = new CompileMemo();
          for (const s of steps) {
            for (const root of [cached, plain]) {
              const rel = `quickback/features/${s.feature}/${s.feature}.ts`;
              const file = path.join(root, rel);
              let text: string;
              try {
                text = readFileSync(file, 'utf8');
              } catch {
                continue;
              }
              if (s.kind === 'delete-file') rmSync(file);
              else if (s.kind === 'comment') writeFileSync(file, `${text}\n// ${s.n}\n`);
              else if (s.kind === 'column')
                writeFileSync(file, text.replace('columns: {', `columns: {\n    extra${s.n}: q.text().optional(),`));
              else writeFileSync(file, text.replace(/\n\s*extra\d+: q\.text\(\)\.optional\(\),/, ''));
            }
            const result = await outcome(cached, true, memo);
            expect(result).toEqual(await outcome(plain, false));
            okRuns += (result as { ok: boolean }).ok ? 1 : 0;
            reusedTotal += memo.reused;
            expect(outputOf(cached)).toEqual(outputOf(plain));
          }
        }),
        { seed: SEED, numRuns: 4 },
      );
      expect(okRuns).toBeGreaterThan(4); // the property compared real compiles, not only failures
      expect(reusedTotal).toBeGreaterThan(0); // and the memo was exercised
    },
    240_000,
  );
});
