/**
 * zod's JSON Schemas inside the document (print/lift.ts): a recursive output (`$ref: "#"`) and
 * named definitions (`$defs`) become components, so their references resolve in the document,
 * which stays valid and compiles; plain schemas stay inline.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { copyFixture } from '../../../test/helpers/project.js';
import { analyze } from '../../compiler/index.js';
import { schemaChecker, validateDocument } from './openapi.testkit.js';
import { lift } from './print/lift.js';
import { buildOpenApi } from './print/openapi.js';

const Node: z.ZodType = z.object({
  name: z.string(),
  get children() {
    return z.array(Node);
  },
});
const Tag = z.object({ label: z.string() }).meta({ id: 'Tag' });
const json = (schema: z.ZodType) =>
  JSON.parse(JSON.stringify(z.toJSONSchema(schema, { io: 'output' }))) as Record<string, unknown>;

describe('lifting zod schemas into the document', () => {
  it('keeps plain schemas inline, without the dialect', () => {
    expect(lift(json(z.object({ open: z.number() })), 'X')).toEqual({
      schema: {
        type: 'object',
        properties: { open: { type: 'number' } },
        required: ['open'],
        additionalProperties: false,
      },
      components: {},
    });
  });

  it('moves recursion and definitions to components; data keywords are left alone', () => {
    const tree = lift(json(Node), 'TreeOutput');
    expect(tree.schema).toEqual({ $ref: '#/components/schemas/TreeOutput' });
    expect(tree.components.TreeOutput.properties).toMatchObject({
      children: { items: { $ref: '#/components/schemas/TreeOutput' } },
    });
    const tagged = lift({ ...json(z.object({ a: Tag, b: Tag.optional() })), default: { $ref: '#' } }, 'T');
    expect(tagged.schema).toMatchObject({
      properties: { a: { $ref: '#/components/schemas/T_Tag' } },
      default: { $ref: '#' },
    });
    expect(Object.keys(tagged.components)).toEqual(['T_Tag']);
  });

  it('an action with a recursive output and shared definitions: a valid document whose schemas compile', async () => {
    const { model } = await analyze(copyFixture('helpdesk', 'openapi-lift'));
    const tickets = model.features.find((f) => f.name === 'tickets')!;
    const actions = tickets.actions.map((
      a,
    ) => (a.name === 'openCount' ? { ...a, output: json(z.object({ tree: Node, tag: Tag, again: Tag })) } : a));
    const doc: Record<string, any> = buildOpenApi({
      ...model,
      features: model.features.map((f) => (f === tickets ? { ...f, actions } : f)),
    });
    expect(await validateDocument(doc)).toEqual({ valid: true, errors: [] });
    // zod names the recursive one itself (`__schema0`); `.meta({ id })` names are kept.
    expect(Object.keys(doc.components.schemas).filter((k) => k.startsWith('TicketsOpenCountOutput'))).toEqual([
      'TicketsOpenCountOutput___schema0',
      'TicketsOpenCountOutput_Tag',
    ]);
    expect(() => schemaChecker(doc)).not.toThrow();
    const value = {
      tree: { name: 'root', children: [{ name: 'leaf', children: [] }] },
      tag: { label: 'x' },
      again: { label: 'y' },
    };
    const check = schemaChecker({
      ...doc,
      components: {
        ...doc.components,
        schemas: {
          ...doc.components.schemas,
          Probe: doc.paths['/api/v1/tickets/open-count'].get.responses['200'].content['application/json'].schema,
        },
      },
    });
    expect(check.errors('Probe', value)).toEqual([]);
    expect(check.errors('Probe', { ...value, tree: { name: 'root', children: [{ name: 1, children: [] }] } }).join())
      .toMatch(/must be string/);
  });
});
