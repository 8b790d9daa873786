/**
 * `add plugin` on an in-memory Tree over a temp folder: every form of `plugins`, the file's own
 * style, idempotence, the explicit-false flip, and the refusals. Nothing reaches the disk.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Node } from 'ts-morph';
import { findCall, parseSource, property, propertyName } from '../../src/codemod/source.js';
import { applySplices } from '../../src/codemod/splice.js';
import { isQuickbackError } from '../../src/shared/errors.js';
import { revertSplices } from '../../test/helpers/splices.js';
import { Tree } from '../../src/shared/tree.js';
import { CONFIG } from '../config.js';
import { pluginGenerator, removePlugin, removePluginGenerator } from './index.js';

function project(config: string): Tree {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-gen-plugin-'));
  mkdirSync(path.join(root, 'quickback'));
  writeFileSync(path.join(root, CONFIG), config);
  return new Tree(root);
}

const config = (auth: string) =>
  `import { defineAuth, defineConfig } from "@quickback/compiler";\n\nexport default defineConfig({\n  name: "app",\n  providers: {\n    auth: ${auth},\n  },\n});\n`;

function add(tree: Tree, name: string) {
  return pluginGenerator.run(tree, pluginGenerator.options([name], {}));
}

const codeOf = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (e) {
    return isQuickbackError(e) ? e.code : e;
  }
};

describe('add plugin', () => {
  it.each([
    ['no options', 'defineAuth("better-auth")', 'defineAuth("better-auth", { plugins: ["admin"] })'],
    [
      'no plugins property',
      'defineAuth("better-auth", { emailAndPassword: { enabled: true } })',
      'defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins: ["admin"] })',
    ],
    [
      'array form',
      'defineAuth("better-auth", { plugins: ["organization"] })',
      'defineAuth("better-auth", { plugins: ["organization", "admin"] })',
    ],
    [
      'object form, absent',
      'defineAuth("better-auth", { plugins: { organization: true } })',
      'defineAuth("better-auth", { plugins: { organization: true, admin: true } })',
    ],
    [
      'object form, explicit false',
      'defineAuth("better-auth", { plugins: { admin: false } })',
      'defineAuth("better-auth", { plugins: { admin: true } })',
    ],
  ])('%s', (_, before, after) => {
    const tree = project(config(before));
    expect(add(tree, 'admin').messages[0]).toMatch(/^plugin admin: (added|updated)$/);
    expect(tree.read(CONFIG)).toBe(config(after));
    expect(readFileSync(path.join(tree.root, CONFIG), 'utf8')).toBe(config(before)); // staged only
    writeFileSync(path.join(tree.root, CONFIG), tree.read(CONFIG)!);
    const second = new Tree(tree.root);
    expect(add(second, 'admin').messages).toEqual(['plugin admin: already enabled']);
    expect(second.changes()).toEqual([]);
  });

  it("keeps the file's quotes and an object-form plugin's options", () => {
    const tree = project(config("defineAuth('better-auth', { plugins: ['organization'] })").replace(/"/g, "'"));
    add(tree, 'apiKey');
    expect(tree.read(CONFIG)).toContain("plugins: ['organization', 'apiKey']");
    const withOptions = project(config('defineAuth("better-auth", { plugins: { apiKey: { rateLimit: 10 } } })'));
    expect(add(withOptions, 'apiKey').messages).toEqual(['plugin apiKey: already enabled']);
  });

  it('refuses unknown names, a plugins variable, a missing defineAuth and a missing config', () => {
    expect(codeOf(() => pluginGenerator.options(['admn'], {}))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => pluginGenerator.options([], {}))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => add(project(config('defineAuth("better-auth", { plugins })')), 'admin'))).toBe(
      'QB_GEN_CONFLICT',
    );
    expect(codeOf(() => add(project(config('defineAuth("better-auth", authOptions)')), 'admin'))).toBe(
      'QB_GEN_CONFLICT',
    );
    expect(codeOf(() => add(project(config('undefined')), 'admin'))).toBe('QB_GEN_CONFLICT');
    expect(codeOf(() => add(project(config('defineAuth("better-auth", { plugins: [')), 'admin'))).toBe('QB_GEN_PARSE');
    const empty = new Tree(mkdtempSync(path.join(tmpdir(), 'qb-gen-empty-')));
    expect(codeOf(() => add(empty, 'admin'))).toBe('QB_LOAD_CONFIG_NOT_FOUND');
  });
});

describe('remove plugin', () => {
  const remove = (tree: Tree, name: string) =>
    removePluginGenerator.run(tree, removePluginGenerator.options([name], {})).messages[0];
  it.each([
    [
      'array form, last',
      'defineAuth("better-auth", { plugins: ["organization", "admin"] })',
      'defineAuth("better-auth", { plugins: ["organization"] })',
    ],
    [
      'array form, only: the key goes',
      'defineAuth("better-auth", { plugins: ["admin"] })',
      'defineAuth("better-auth", {})',
    ],
    [
      'object form, only: the key goes',
      'defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins: { admin: true } })',
      'defineAuth("better-auth", { emailAndPassword: { enabled: true } })',
    ],
    [
      "multi-line, only: the key's line goes",
      'defineAuth("better-auth", {\n      emailAndPassword: { enabled: true },\n      plugins: [\n        "admin",\n      ],\n    })',
      'defineAuth("better-auth", {\n      emailAndPassword: { enabled: true },\n    })',
    ],
    [
      'only, with a comment: the key stays with the comment',
      'defineAuth("better-auth", {\n      plugins: [\n        "admin",\n        // "twoFactor",\n      ],\n    })',
      'defineAuth("better-auth", {\n      plugins: [\n        // "twoFactor",\n      ],\n    })',
    ],
    [
      'object form',
      'defineAuth("better-auth", { plugins: { admin: true, apiKey: true } })',
      'defineAuth("better-auth", { plugins: { apiKey: true } })',
    ],
    [
      'multi-line array with a comment',
      'defineAuth("better-auth", {\n      plugins: [\n        "organization",\n        "admin", // for support staff\n        // "twoFactor",\n      ],\n    })',
      'defineAuth("better-auth", {\n      plugins: [\n        "organization",\n        // "twoFactor",\n      ],\n    })',
    ],
  ])('%s', (_, before, after) => {
    const tree = project(config(before));
    expect(remove(tree, 'admin')).toBe('plugin admin: removed');
    expect(tree.read(CONFIG)).toBe(config(after));
    writeFileSync(path.join(tree.root, CONFIG), tree.read(CONFIG)!);
    const second = new Tree(tree.root);
    expect(remove(second, 'admin')).toBe('plugin admin: not enabled (nothing to remove)');
    expect(second.changes()).toEqual([]);
  });

  it('refuses a plugins variable', () => {
    expect(codeOf(() => remove(project(config('defineAuth("better-auth", { plugins })')), 'admin'))).toBe(
      'QB_GEN_CONFLICT',
    );
  });
});

/** The plugin names a config's `plugins` literal lists (array items or object keys). */
function pluginNames(file: string, text: string): string[] {
  const options = findCall(parseSource(file, text), 'defineAuth')?.getArguments()[1];
  if (!options || !Node.isObjectLiteralExpression(options)) return [];
  const { value } = property(options, 'plugins');
  if (value && Node.isArrayLiteralExpression(value))
    return value.getElements().flatMap((e) => (Node.isStringLiteral(e) ? [e.getLiteralText()] : []));
  if (value && Node.isObjectLiteralExpression(value))
    return value.getProperties().flatMap((p) => propertyName(p) ?? []);
  return [];
}

describe('remove plugin, one by one, over the codemod corpus', () => {
  const corpus = path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'codemod');
  const files = readdirSync(corpus).filter((f) =>
    f.endsWith('.config.ts') && !f.includes('broken')
    && pluginNames(f, readFileSync(path.join(corpus, f), 'utf8').replace(/^\uFEFF/, '')).length > 0
  ).sort();
  it('covers the configs that list plugins', () => expect(files.length).toBeGreaterThanOrEqual(15));
  it.each(files)('%s: the last removal takes the `plugins` key (no `plugins: []`); undo puts each back', (file) => {
    let text = readFileSync(path.join(corpus, file), 'utf8');
    const names = pluginNames(file, text);
    for (const name of names) {
      const removal = removePlugin(parseSource(file, text), name);
      expect(removal.status).toBe('updated');
      const next = applySplices(text, removal.splices);
      expect(revertSplices(next, removal.splices, text)).toBe(text);
      text = next;
    }
    // A literal with comments (kept) or a spread (not ours to judge) keeps its key.
    const keeps = /plugins\s*:\s*[[{][^\]}]*(\/[/*]|\.\.\.)/.test(readFileSync(path.join(corpus, file), 'utf8'));
    if (!keeps) expect(text).not.toMatch(/plugins\s*:/);
    expect(pluginNames(file, text)).toEqual([]);
  });
});
