/**
 * @module emitters/print-utils.test
 * The literal printer writes what a person would (the formatter only normalises it), lines()
 * keeps the blank lines printers ask for, and runtimeImport() gives a file one import of the runtime and namedImports() one statement per module.
 */
import { describe, expect, it } from 'vitest';
import { lines, literal, namedImports, runtimeImport } from './print-utils.js';

describe('literal', () => {
  it('prints identifier keys bare, other keys quoted, short scalar arrays on one line', () => {
    expect(literal({ roles: ['owner', 'admin'], 'x-key': 1, nested: { ok: true, none: undefined } })).toBe(
      '{\n  roles: ["owner", "admin"],\n  "x-key": 1,\n  nested: {\n    ok: true\n  }\n}',
    );
  });

  it('breaks long arrays and arrays of objects one item per line', () => {
    const long = Array.from({ length: 12 }, (_, i) => `permission-${i}`);
    expect(literal(long).split('\n')).toHaveLength(14);
    expect(literal([{ a: 1 }])).toBe('[\n  {\n    a: 1\n  }\n]');
  });

  it('prints everything on one line with indent 0, and follows JSON for odd values', () => {
    expect(literal({ a: [1, null], b: {}, c: [] }, 0)).toBe('{ a: [1, null], b: {}, c: [] }');
    expect(literal([undefined, Number.NaN, new Date(0)])).toBe('[null, null, "1970-01-01T00:00:00.000Z"]');
  });
});

describe('lines', () => {
  it('keeps empty sections as blank lines and drops false, null and undefined', () => {
    expect(lines('a', '', 'b', false, null, undefined, 'c')).toBe('a\n\nb\nc\n');
  });
});

describe('runtimeImport', () => {
  it('prints one import from #quickback sorted by name, types marked inline, a value import winning over its type', () => {
    expect(runtimeImport(['log', 'type Row', false, 'apiError', 'type log', null, 'emitWebhookEvent as emit'])).toBe(
      'import { type Row, apiError, emitWebhookEvent as emit, log } from "#quickback";',
    );
  });

  it('prints `import type` when every name is a type, and nothing without names', () => {
    expect(runtimeImport(['type Row', 'type AuditLog', 'type Row'])).toBe(
      'import type { AuditLog, Row } from "#quickback";',
    );
    expect(runtimeImport([false, undefined, ''])).toBe(false);
  });
});

describe('namedImports', () => {
  it('gives each module one statement, in the order modules are first named, types inline', () => {
    expect(namedImports([
      ['drizzle-orm/node-postgres', ['drizzle']],
      false,
      ['drizzle-orm', ['type RelationalSchemaConfig']],
      ['drizzle-orm/node-postgres', ['NodePgSession', 'drizzle']],
      ['drizzle-orm', ['sql']],
      ['../env.js', ['type Env']],
    ])).toEqual([
      'import { NodePgSession, drizzle } from "drizzle-orm/node-postgres";',
      'import { type RelationalSchemaConfig, sql } from "drizzle-orm";',
      'import type { Env } from "../env.js";',
    ]);
  });

  it('leaves out a module named with no names', () => {
    expect(namedImports([['x', [false, null]], ['y', ['a']]])).toEqual(['import { a } from "y";']);
  });
});
