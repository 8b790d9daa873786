/** The load stage's JSON Schemas of action inputs and outputs (zod's own toJSONSchema, each side as it is). */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { resolveInputs } from './actions.js';

const file = (actions: Record<string, unknown>) =>
  resolveInputs({ file: 'quickback/features/t/actions.ts', featureDir: 't', table: null, actions: actions as never });

describe('resolveInputs', () => {
  it('turns input and output into plain JSON Schema and drops the zod schemas', () => {
    const out = file({
      a: {
        description: 'd',
        input: z.object({ n: z.number().default(1) }),
        output: z.object({ n: z.number().default(1) }),
      },
    });
    expect(out.actions.a).toEqual({ description: 'd' });
    // A default makes the input optional, never the output.
    expect(out.resolved!.a.input).toEqual({ schema: expect.not.objectContaining({ required: ['n'] }) });
    expect(out.resolved!.a.output).toEqual({
      schema: expect.objectContaining({ required: ['n'], additionalProperties: false }),
    });
    expect(structuredClone(out.resolved)).toEqual(out.resolved);
  });

  it('reports outputs JSON Schema cannot describe; no output, no entry', () => {
    const out = file({
      a: { description: 'd', input: z.object({}), output: z.object({ at: z.date() }) },
      b: { description: 'd', input: z.object({}), output: 'nope' },
      c: { description: 'd', input: z.object({}) },
    });
    expect(out.resolved!.a.output).toEqual({ problem: expect.stringMatching(/cannot be described as JSON Schema/) });
    expect(out.resolved!.b.output).toEqual({ problem: 'is not a zod 4 schema' });
    expect('output' in out.resolved!.c).toBe(false);
  });
});
