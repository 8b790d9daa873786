import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { isQuickbackError } from '../../../shared/errors.js';
import { zodFromJsonSchema } from './zod-from-json-schema.js';

const where = { action: 'act', file: 'quickback/features/x/actions.ts', query: false };
const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
/** Prints the zod code for a schema and evaluates it, so tests compare behaviour, not text. */
function roundTrip(schema: z.ZodType, query = false): z.ZodType {
  const code = zodFromJsonSchema(json(schema), { ...where, query });
  return new Function('z', `return ${code};`)(z) as z.ZodType;
}

describe('zod from JSON Schema', () => {
  it('accepts and rejects exactly what the original schema does', () => {
    const original = z.object({
      reason: z.string().min(3).max(10),
      n: z.number().int().min(1).max(5).optional(),
      kind: z.enum(['a', 'b']),
      flag: z.boolean().nullable(),
      at: z.iso.datetime(),
      email: z.email(),
      tags: z.array(z.string()).max(2),
      lit: z.literal('x'),
    });
    const printed = roundTrip(original);
    const samples: unknown[] = [
      { reason: 'abc', kind: 'a', flag: null, at: '2026-01-01T00:00:00Z', email: 'a@b.co', tags: [], lit: 'x' },
      { reason: 'ab', kind: 'a', flag: true, at: '2026-01-01T00:00:00Z', email: 'a@b.co', tags: [], lit: 'x' },
      { reason: 'abc', n: 1.5, kind: 'a', flag: true, at: '2026-01-01T00:00:00Z', email: 'a@b.co', tags: [], lit: 'x' },
      { reason: 'abc', kind: 'c', flag: true, at: 'yesterday', email: 'nope', tags: ['1', '2', '3'], lit: 'y' },
      {
        reason: 'abc',
        kind: 'b',
        flag: false,
        at: '2026-01-01T00:00:00+02:00',
        email: 'a@b.co',
        tags: ['1'],
        lit: 'x',
      },
    ];
    for (const sample of samples) expect(printed.safeParse(sample).success).toBe(original.safeParse(sample).success);
  });

  it('coerces numbers and booleans read from a query string', () => {
    const printed = roundTrip(z.object({ page: z.number().int().min(1), open: z.boolean() }), true);
    expect(printed.parse({ page: '2', open: 'false' })).toEqual({ page: 2, open: false });
    expect(printed.safeParse({ page: 'x', open: 'no' }).success).toBe(false);
  });

  it('refuses constructs it cannot reproduce instead of loosening them', () => {
    for (const schema of [
      z.object({ a: z.union([z.string(), z.number()]) }),
      z.object({ a: z.record(z.string(), z.string()) }),
    ]) {
      let thrown: unknown;
      try {
        zodFromJsonSchema(json(schema), where);
      } catch (err) {
        thrown = err;
      }
      expect(isQuickbackError(thrown) && thrown.code).toBe('QB_VALIDATE_NOT_SUPPORTED');
    }
  });
});
