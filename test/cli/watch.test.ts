/**
 * `quickback compile --watch` driven for real: the bin in a child process with --json (one line
 * per run), a fixture on disk, and edits made the way an editor makes them. After each step the
 * test waits for the run it expects and checks the files on disk; it also counts runs, so a
 * watcher that re-ran for its own writes (or for nothing) fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, emptyProject, REPO } from '../helpers/project.js';
import { runCli } from './run-cli.js';

interface RunLine {
  run: number;
  trigger: string[];
  ok: boolean;
  written: string[];
  deleted: string[];
  unchanged: number;
  diagnostics: { code: string; file?: string }[];
  durationMs: number;
}

class WatchProcess {
  readonly runs: RunLine[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];
  readonly child: ChildProcess;
  stderr = '';

  constructor(root: string, extra: string[] = []) {
    this.child = spawn(process.execPath, [
      path.join(REPO, 'bin', 'quickback.js'),
      'compile',
      '--watch',
      '--json',
      '--cwd',
      root,
      ...extra,
    ], {
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        if (line.trim()) this.runs.push(JSON.parse(line) as RunLine);
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Waits for run number `n` (fails after a timeout, printing what happened). */
  async run(n: number, timeoutMs = 20_000): Promise<RunLine> {
    const deadline = Date.now() + timeoutMs;
    while (this.runs.length < n) {
      if (Date.now() > deadline)
        throw new Error(`run ${n} never came; runs: ${JSON.stringify(this.runs)}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.runs[n - 1];
  }

  /** Lets the debounce window and any stray event pass, then asserts no further run happened. */
  async quiet(expectedRuns: number, ms = 1200): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    expect(this.runs.map((r) => r.trigger)).toHaveLength(expectedRuns);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGINT');
    return exited;
  }
}

const watchers: WatchProcess[] = [];
afterAll(async () => {
  for (const w of watchers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
});

describe('quickback compile --watch', () => {
  it('refuses what it cannot watch: no project (QB_LOAD_CONFIG_NOT_FOUND), --watch with --check or --dry-run', async () => {
    const empty = emptyProject('watch-empty', { 'README.md': 'hi' });
    const missing = await runCli(['compile', '--watch', '--cwd', empty]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('QB_LOAD_CONFIG_NOT_FOUND');
    for (const flag of ['--check', '--dry-run']) {
      const clash = await runCli(['compile', '--watch', flag, '--cwd', empty]);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toContain('QB_CLI_INVALID_FLAG');
    }
  });

  it(
    'recompiles on save, picks up new and deleted features, survives a syntax error, and never re-runs for its own writes',
    async () => {
      const root = copyFixture('helpdesk', 'watch');
      const file = (rel: string) => path.join(root, rel);
      const read = (rel: string) => readFileSync(file(rel), 'utf8');
      const notes = 'quickback/features/notes/notes.ts';
      const w = new WatchProcess(root);
      watchers.push(w);

      const first = await w.run(1);
      expect(first).toMatchObject({ ok: true, trigger: [] });
      expect(first.written).toContain('src/index.ts');
      // The first run seeds handler files under quickback/: their events must not start a run.
      await w.quiet(1);

      // A comment-only edit: a run happens and writes nothing, not even the manifest.
      const manifestBefore = read('quickback/.quickback/manifest.json');
      writeFileSync(file(notes), `${read(notes)}\n// just a comment\n`);
      expect(await w.run(2)).toMatchObject({ ok: true, trigger: [notes], written: [], deleted: [] });
      expect(read('quickback/.quickback/manifest.json')).toBe(manifestBefore);

      // A real edit: the notes files and a new migration, nothing else.
      writeFileSync(
        file(notes),
        read(notes).replace(
          'pinned: q.boolean().default(false),',
          'pinned: q.boolean().default(false),\n    color: q.text().optional(),',
        ),
      );
      const third = await w.run(3);
      expect(third.ok).toBe(true);
      expect(third.written).toContain('src/features/notes/notes.schema.ts');
      expect(third.written.some((f) => /quickback\/drizzle\/features\/0001_\w+\.sql$/.test(f))).toBe(true);
      expect(third.written.filter((f) => f.includes('/tickets/'))).toEqual([]);
      expect(read('src/features/notes/notes.schema.ts')).toContain('color');
      await w.quiet(3);

      // A new feature file in a new folder.
      mkdirSync(file('quickback/features/tags'), { recursive: true });
      writeFileSync(
        file('quickback/features/tags/tags.ts'),
        'import { feature, q } from "@quickback/compiler";\nexport default feature("tags", { columns: { id: q.id(), label: q.text().required(), ownerId: q.scope("owner") } });\n',
      );
      const fourth = await w.run(4);
      expect(fourth).toMatchObject({ ok: true, trigger: ['quickback/features/tags/tags.ts'] });
      expect(fourth.written).toContain('src/features/tags/tags.routes.ts');

      // A syntax error: diagnostics, nothing written or deleted, and the watcher keeps going.
      const good = read('src/features/tags/tags.routes.ts');
      writeFileSync(
        file('quickback/features/tags/tags.ts'),
        'import { feature, q } from "@quickback/compiler";\nexport default feature("tags", { columns: { id: q.id(), label: q.text( });\n',
      );
      const fifth = await w.run(5);
      expect(fifth.ok).toBe(false);
      expect(fifth.diagnostics[0]).toMatchObject({
        code: 'QB_LOAD_SYNTAX_ERROR',
        file: 'quickback/features/tags/tags.ts',
      });
      expect(read('src/features/tags/tags.routes.ts')).toBe(good);

      // Fixed: normal compiles resume (the fix adds a column, so tags output changes).
      writeFileSync(
        file('quickback/features/tags/tags.ts'),
        'import { feature, q } from "@quickback/compiler";\nexport default feature("tags", { columns: { id: q.id(), label: q.text().required(), hue: q.text().optional(), ownerId: q.scope("owner") } });\n',
      );
      const sixth = await w.run(6);
      expect(sixth.ok).toBe(true);
      expect(sixth.written).toContain('src/features/tags/tags.schema.ts');

      // Deleting the feature deletes its output.
      rmSync(file('quickback/features/tags'), { recursive: true });
      const seventh = await w.run(7);
      expect(seventh.ok).toBe(true);
      expect(seventh.deleted).toContain('src/features/tags/tags.routes.ts');
      expect(existsSync(file('src/features/tags'))).toBe(false);

      // Editor noise is not an input: a swap file, a backup file, a file touched with the same bytes.
      writeFileSync(file('quickback/features/notes/.notes.ts.swp'), 'x');
      writeFileSync(file('quickback/features/notes/notes.ts~'), 'x');
      writeFileSync(file(notes), read(notes));
      await w.quiet(7);

      expect(await w.stop()).toBe(0);
    },
    120_000,
  );

  it(
    'writes the seam quickback/app.ts and a seeded handler again when deleted, and never runs for edits to the seam',
    async () => {
      const root = copyFixture('helpdesk', 'watch-seam');
      const seam = path.join(root, 'quickback/app.ts');
      const handler = 'quickback/features/tickets/handlers/escalate.ts';
      const w = new WatchProcess(root);
      watchers.push(w);
      expect((await w.run(1)).written).toContain('quickback/app.ts');
      const seed = readFileSync(seam, 'utf8');

      // The owner's edits change nothing the compiler writes: no run, right after the seed or later.
      writeFileSync(seam, seed.replace("'/api/v1/me'", "'/api/v1/whoami'"));
      expect(readFileSync(seam, 'utf8')).toContain("'/api/v1/whoami'");
      await w.quiet(1);

      // Deleted: src/index.ts still imports it, so a run writes the seed back (a create); its own write starts no run.
      rmSync(seam);
      expect(await w.run(2)).toMatchObject({ ok: true, trigger: ['quickback/app.ts'], written: ['quickback/app.ts'] });
      expect(readFileSync(seam, 'utf8')).toBe(seed);
      writeFileSync(seam, `${seed}// mine\n`);
      await w.quiet(2);

      // A handler the generated actions import: written back as a seed, and again once the manifest records it.
      for (const run of [3, 4]) {
        rmSync(path.join(root, handler));
        expect(await w.run(run)).toMatchObject({ ok: true, trigger: [handler] });
        expect(w.runs[run - 1].written).toContain(handler);
        expect(readFileSync(path.join(root, handler), 'utf8')).toContain("from '#quickback';");
      }
      await w.quiet(4);
      expect(readFileSync(seam, 'utf8')).toBe(`${seed}// mine\n`);
      expect(await w.stop()).toBe(0);
    },
    60_000,
  );

  it('watches files a definition imports from outside quickback/, and --no-cache gives the same output', async () => {
    const root = copyFixture('helpdesk', 'watch-import', {
      files: {
        'shared/limits.ts': 'export const NOTE_MAX = 500;\n',
        'quickback/features/notes/notes.ts':
          'import { feature, q } from "@quickback/compiler";\nimport { NOTE_MAX } from "../../../shared/limits";\nexport default feature("notes", { columns: { id: q.id(), body: q.text({ maxLength: NOTE_MAX }).required(), ownerId: q.scope("owner") } });\n',
      },
    });
    const w = new WatchProcess(root, ['--no-cache']);
    watchers.push(w);
    await w.run(1);
    writeFileSync(path.join(root, 'shared/limits.ts'), 'export const NOTE_MAX = 900;\n');
    const second = await w.run(2);
    expect(second).toMatchObject({ ok: true, trigger: ['shared/limits.ts'] });
    const notesOutput = second.written.filter((f) => f.startsWith('src/features/notes/'));
    expect(notesOutput.length).toBeGreaterThan(0);
    expect(notesOutput.some((f) => readFileSync(path.join(root, f), 'utf8').includes('900'))).toBe(true);
    expect(existsSync(path.join(root, 'quickback/.quickback/cache'))).toBe(false);
    expect(await w.stop()).toBe(0);
  }, 60_000);

  it.each([0, 170, 260])(
    'Ctrl-C %i ms after a save exits 0 and leaves no half-written file: the manifest matches the disk',
    async (delay) => {
      const root = copyFixture('helpdesk', 'watch-sigint');
      const w = new WatchProcess(root);
      watchers.push(w);
      await w.run(1);
      const notes = path.join(root, 'quickback/features/notes/notes.ts');
      writeFileSync(
        notes,
        readFileSync(notes, 'utf8').replace(
          'pinned: q.boolean().default(false),',
          'pinned: q.boolean().default(false),\n    color: q.text().optional(),',
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      expect(await w.stop()).toBe(0);
      const all = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory()
          ? (e.name === 'node_modules' ? [] : all(path.join(dir, e.name)))
          : [path.join(dir, e.name)])
        );
      expect(all(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const manifest = JSON.parse(readFileSync(path.join(root, 'quickback/.quickback/manifest.json'), 'utf8')) as {
        files: Record<string, { sha256: string; ownership: string }>;
      };
      for (const [file, entry] of Object.entries(manifest.files)) {
        if (entry.ownership === 'seed')
          continue;
        expect(createHash('sha256').update(readFileSync(path.join(root, file))).digest('hex'), file).toBe(entry.sha256);
      }
    },
    60_000,
  );
});
