/**
 * `enable|disable realtime|organizations` on an in-memory Tree: each form of the setting, the
 * flip of an explicit opposite value, idempotence, and add-then-remove giving the original back.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../src/shared/errors.js';
import { Tree } from '../../src/shared/tree.js';
import { CONFIG } from '../config.js';
import { toggleGenerators } from './index.js';

function run(command: string, config: string): { after: string; message: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-gen-toggle-'));
  mkdirSync(path.join(root, 'quickback'));
  writeFileSync(path.join(root, CONFIG), config);
  const tree = new Tree(root);
  const generator = toggleGenerators.find((g) => g.command === command)!;
  const { messages } = generator.run(tree, generator.options([], {}));
  return { after: tree.read(CONFIG)!, message: messages[0] };
}

const config = (database: string, rest = '') =>
  `import { defineConfig, defineDatabase } from "@quickback/compiler";\n\nexport default defineConfig({\n  name: "app",\n  providers: { database: ${database} },\n${rest}});\n`;

describe('enable / disable', () => {
  it.each([
    [
      'enable realtime',
      config('defineDatabase("libsql")'),
      config('defineDatabase("libsql", { realtime: true })'),
      'realtime: enabled',
    ],
    [
      'enable realtime',
      config('defineDatabase("libsql", { realtime: false })'),
      config('defineDatabase("libsql", { realtime: true })'),
      'realtime: enabled',
    ],
    [
      'disable realtime',
      config('defineDatabase("libsql", { generateId: "uuid", realtime: true })'),
      config('defineDatabase("libsql", { generateId: "uuid", realtime: false })'),
      'realtime: disabled',
    ],
    [
      'enable organizations',
      config('defineDatabase("libsql")'),
      config('defineDatabase("libsql")', '  features: { organizations: true },\n'),
      'organizations: enabled',
    ],
    [
      'enable organizations',
      config('defineDatabase("libsql")', '  features: { organizations: false },\n'),
      config('defineDatabase("libsql")', '  features: { organizations: true },\n'),
      'organizations: enabled',
    ],
    [
      'enable organizations',
      config('defineDatabase("libsql")', '  features: ["webhooks"],\n'),
      config('defineDatabase("libsql")', '  features: ["webhooks", "organizations"],\n'),
      'organizations: enabled',
    ],
    [
      'disable organizations',
      config('defineDatabase("libsql")', '  features: [\n    "webhooks",\n    "organizations", // tenants\n  ],\n'),
      config('defineDatabase("libsql")', '  features: [\n    "webhooks",\n  ],\n'),
      'organizations: disabled',
    ],
    [
      'disable organizations',
      config('defineDatabase("libsql")', '  features: ["organizations", "webhooks"],\n'),
      config('defineDatabase("libsql")', '  features: ["webhooks"],\n'),
      'organizations: disabled',
    ],
  ])('%s: %#', (command, before, after, message) => {
    const first = run(command, before);
    expect(first).toEqual({ after, message });
    expect(run(command, after).message).toMatch(/already (enabled|disabled)/);
    expect(run(command, after).after).toBe(after);
  });

  it('adding then removing an array entry gives the original bytes back', () => {
    const original = config(
      'defineDatabase("libsql")',
      '  features: [\n    "webhooks", // hooks\n    // "files",\n  ],\n',
    );
    const enabled = run('enable organizations', original).after;
    expect(enabled).toContain('    // "files",\n    "organizations",\n  ],');
    expect(run('disable organizations', enabled).after).toBe(original);
  });

  it('in the object form realtime: { enabled, wsTicket }, flips only enabled', () => {
    const ws = 'wsTicket: { role: "member", requestField: "roomId", scopeTable: "rooms" }';
    const off = config(`defineDatabase("libsql", { realtime: { enabled: false, ${ws} } })`);
    const on = run('enable realtime', off);
    expect(on).toEqual({ after: off.replace('enabled: false', 'enabled: true'), message: 'realtime: enabled' });
    expect(run('enable realtime', on.after).message).toBe('realtime: already enabled');
    expect(run('disable realtime', on.after).after).toBe(off);
    expect(run('enable realtime', config(`defineDatabase("libsql", { realtime: { ${ws} } })`)).message).toBe(
      'realtime: already enabled',
    );
  });

  it('says "already disabled" when the setting is absent, and refuses a variable', () => {
    expect(run('disable realtime', config('defineDatabase("libsql")')).message).toBe('realtime: already disabled');
    expect(run('disable organizations', config('defineDatabase("libsql")')).message).toBe(
      'organizations: already disabled',
    );
    let thrown: unknown;
    try {
      run('enable organizations', config('defineDatabase("libsql")', '  features,\n'));
    } catch (e) {
      thrown = e;
    }
    expect(isQuickbackError(thrown) && thrown.code).toBe('QB_GEN_CONFLICT');
  });
});
