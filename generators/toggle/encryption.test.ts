/**
 * `enable|disable encryption` on an in-memory Tree: the ENCRYPTION_KEK line in the local secrets
 * file (`.env` for node and bun, `.dev.vars` for cloudflare, under build.outputDir) and in its
 * example file (only when the compile does not write that file), existing lines kept byte for
 * byte, line endings and a missing final newline respected, idempotence, and the value never in
 * a diff.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../test/helpers/tree.js';
import { renderChangesDiff } from '../../src/compiler/write/index.js';
import { maskSecrets } from '../../src/compiler/write/report.js';
import { Tree } from '../../src/shared/tree.js';
import { CONFIG } from '../config.js';
import { ensureEnvLine } from './encryption.js';
import { toggleGenerators } from './index.js';

const HEX = /^[0-9a-f]{64}$/;

function project(files: Record<string, string>): Tree {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-gen-encryption-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return new Tree(root);
}

function run(tree: Tree, command = 'enable encryption'): string[] {
  const generator = toggleGenerators.find((g) => g.command === command)!;
  return (generator.run(tree, generator.options([], {})) as { messages: string[] }).messages;
}

const config = (runtime: string, rest = '') =>
  `import { defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";\n\nexport default defineConfig({\n  name: "app",\n  providers: { runtime: ${runtime}, database: defineDatabase("libsql") },\n${rest}});\n`;

/** The generated key of a text that has exactly one ENCRYPTION_KEK=<value> line. */
const keyIn = (text: string) => /^ENCRYPTION_KEK=(.*?)\r?$/m.exec(text)?.[1] ?? '';

describe('enable encryption', () => {
  it('node: appends a generated key to .env; .env.example is left to the compile (it lists ENCRYPTION_KEK)', () => {
    const env = '# local\nBETTER_AUTH_SECRET=abc\n';
    const tree = project({ [CONFIG]: config('defineRuntime("node")'), '.env': env });
    expect(run(tree)).toEqual([
      'encryption: enabled',
      '  ENCRYPTION_KEK added to .env (value hidden)',
      '  .env.example is written by the compile and lists ENCRYPTION_KEK',
    ]);
    const after = tree.read('.env')!;
    expect(after.startsWith(env)).toBe(true);
    expect(after.slice(env.length)).toMatch(/^ENCRYPTION_KEK=[0-9a-f]{64}\n$/);
    expect(tree.read('.env.example')).toBeNull();
    expect(tree.changes().map((c) => [c.path, c.action, c.secret])).toEqual([['.env', 'update', true]]);
  });

  it('keeps an existing key byte for byte: 0 bytes, "already enabled"; a second run after the first changes nothing', () => {
    const tree = project({ [CONFIG]: config('defineRuntime("bun")'), '.env': 'export ENCRYPTION_KEK = "kept"' });
    expect(run(tree)).toEqual(['encryption: already enabled (ENCRYPTION_KEK is in .env)']);
    expect(tree.changes()).toEqual([]);

    const fresh = project({ [CONFIG]: config('defineRuntime("node")') });
    run(fresh);
    const created = fresh.read('.env')!;
    expect(keyIn(created)).toMatch(HEX);
    const again = new Tree(fresh.root);
    writeFileSync(path.join(fresh.root, '.env'), created);
    expect(run(again)).toEqual(['encryption: already enabled (ENCRYPTION_KEK is in .env)']);
    expect(again.changes()).toEqual([]);
  });

  it('fills an empty value, keeping the rest of the line and the file', () => {
    const tree = project({ [CONFIG]: config('defineRuntime("node")'), '.env': 'A=1\r\nENCRYPTION_KEK=\r\nB=2\r\n' });
    expect(run(tree)[1]).toBe('  ENCRYPTION_KEK was empty in .env: set (value hidden)');
    const after = tree.read('.env')!;
    expect(after.replace(keyIn(after), '')).toBe('A=1\r\nENCRYPTION_KEK=\r\nB=2\r\n');
    expect(keyIn(after)).toMatch(HEX);
  });

  it("cloudflare: .dev.vars in its line endings, a missing final newline respected; .dev.vars.example is the compiler's", () => {
    const tree = project({
      [CONFIG]: config('defineRuntime("cloudflare")'),
      '.dev.vars': 'BETTER_AUTH_SECRET=x\r\nBETTER_AUTH_URL=http://127.0.0.1:8787',
      '.dev.vars.example': '# Copy to .dev.vars\nBETTER_AUTH_SECRET=\n',
    });
    expect(run(tree)).toEqual([
      'encryption: enabled',
      '  ENCRYPTION_KEK added to .dev.vars (value hidden)',
      '  .dev.vars.example is written by the compile and lists ENCRYPTION_KEK',
    ]);
    const vars = tree.read('.dev.vars')!;
    expect(vars.replace(keyIn(vars), '<key>')).toBe(
      'BETTER_AUTH_SECRET=x\r\nBETTER_AUTH_URL=http://127.0.0.1:8787\r\nENCRYPTION_KEK=<key>',
    );
    expect(tree.read('.dev.vars.example')).toBe('# Copy to .dev.vars\nBETTER_AUTH_SECRET=\n');
    expect(run(project({ [CONFIG]: config('defineRuntime("cloudflare")'), '.dev.vars': vars }))[0]).toBe(
      'encryption: already enabled (ENCRYPTION_KEK is in .dev.vars)',
    );
  });

  it('creates missing files; an example file with a key line (any value) is kept', () => {
    const tree = project({
      [CONFIG]: config('defineRuntime("cloudflare")'),
      '.dev.vars.example': 'ENCRYPTION_KEK=<openssl rand -hex 32>',
    });
    run(tree);
    expect(tree.read('.dev.vars')).toMatch(/^ENCRYPTION_KEK=[0-9a-f]{64}\n$/);
    expect(tree.changes().map((c) => c.path)).toEqual(['.dev.vars']);
  });

  it('the app lives in build.outputDir; no defineRuntime means node', () => {
    const tree = project({ [CONFIG]: config('defineRuntime("node")', '  build: { outputDir: "api" },\n') });
    run(tree);
    expect(tree.changes().map((c) => c.path)).toEqual(['api/.env']);
    const bare = project({
      [CONFIG]:
        'import { defineConfig } from "@quickback/compiler";\nexport default defineConfig({ name: "x", providers: {} });\n',
    });
    run(bare);
    expect(bare.changes().map((c) => c.path)).toEqual(['.env']);
  });

  it('refuses a runtime it cannot read (QB_GEN_CONFLICT), a broken config (QB_GEN_PARSE) and a missing one', () => {
    expect(codeOf(() => run(project({ [CONFIG]: config('defineRuntime(kind)') })))).toBe('QB_GEN_CONFLICT');
    expect(codeOf(() => run(project({ [CONFIG]: config('defineRuntime("node")', '  build: { outputDir: dir },\n') }))))
      .toBe('QB_GEN_CONFLICT');
    expect(codeOf(() => run(project({ [CONFIG]: 'export default defineConfig({' })))).toBe('QB_GEN_PARSE');
    expect(codeOf(() => run(project({})))).toBe('QB_LOAD_CONFIG_NOT_FOUND');
  });

  it('the dry-run diff masks every value of a secrets file', () => {
    const tree = project({ [CONFIG]: config('defineRuntime("node")'), '.env': 'BETTER_AUTH_SECRET=s3cr3t\nPORT=\n' });
    run(tree);
    const key = keyIn(tree.read('.env')!);
    const diff = renderChangesDiff(tree.changes());
    expect(diff).toContain('+ENCRYPTION_KEK=<hidden>');
    expect(diff).toContain(' BETTER_AUTH_SECRET=<hidden>');
    expect(diff).toContain(' PORT=\n');
    expect(diff).not.toContain(key);
    expect(diff).not.toContain('s3cr3t');
  });
});

describe('maskSecrets', () => {
  it('hides values and multi-line continuations; keeps keys, empty values, comments, blank lines and line endings', () => {
    expect(maskSecrets('# c=1\r\nA=1\r\n\r\nexport B = two words\nC=\nD="first\nsecond"\n')).toBe(
      '# c=1\r\nA=<hidden>\r\n\r\nexport B =<hidden>\nC=\nD=<hidden>\n<hidden>\n',
    );
  });
});

describe('disable encryption', () => {
  it('writes nothing and says why (the key is needed to read encrypted data)', () => {
    const tree = project({ [CONFIG]: config('defineRuntime("node")'), '.env': 'ENCRYPTION_KEK=abc\n' });
    expect(run(tree, 'disable encryption')[0]).toMatch(
      /^encryption: nothing written\. .*ENCRYPTION_KEK stays in \.env/,
    );
    expect(tree.changes()).toEqual([]);
  });
});

describe('ensureEnvLine', () => {
  it.each(
    [
      [null, 'K=v\n', 'added'],
      ['', 'K=v\n', 'added'],
      ['A=1\n', 'A=1\nK=v\n', 'added'],
      ['A=1', 'A=1\nK=v', 'added'],
      ['A=1\r\nB=2\r\n', 'A=1\r\nB=2\r\nK=v\r\n', 'added'],
      ['A=1\r\nB=2', 'A=1\r\nB=2\r\nK=v', 'added'],
      ['# K=old\nA=1\n', '# K=old\nA=1\nK=v\n', 'added'],
      ['K=""\n', 'K=v\n', 'filled'],
      ['  K =  \nA=1', '  K =v\nA=1', 'filled'],
      ['K=kept\n', 'K=kept\n', 'unchanged'],
      ['export K=kept', 'export K=kept', 'unchanged'],
    ] as const,
  )('%j', (before, after, status) => {
    expect(ensureEnvLine(before, 'K', 'v')).toEqual({ text: after, status });
  });
});
