/**
 * The OpenAPI emitter on the example project and both fixtures: each document passes a real
 * OpenAPI 3.1 validator and every schema in it compiles under JSON Schema 2020-12, and the
 * document states what the model says (closed bodies, required fields, enums, error codes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../../../test/helpers/project.js';
import { analyze } from '../../compiler/index.js';
import type { AppModel } from '../../compiler/model/ir.js';
import { apiErrorCodes } from '../../runtime/core/errors.js';
import { schemaChecker, validateDocument } from './openapi.testkit.js';
import { buildOpenApi } from './print/openapi.js';

const models: Record<string, AppModel> = {};
const docs: Record<string, Record<string, any>> = {};

beforeAll(async () => {
  const variants: [string, string, [string, string][]][] = [
    ['helpdesk', 'helpdesk', []],
    ['solo', 'solo', []],
    ['interop', 'interop', []],
    ['client-ids', 'solo', [['generateId: "uuid"', 'generateId: false']]],
    ['stack', 'helpdesk', [
      ['generateId: "prefixed" }', 'generateId: "prefixed", realtime: true }'],
      ['export default defineConfig({', 'export default defineConfig({\n  webhooks: {},'],
      ['import { defineAuth,', 'import { defineFileStorage, defineAuth,'],
      [
        '    auth: defineAuth("better-auth", {',
        '    fileStorage: defineFileStorage("r2", { maxFileSize: "1mb", allowedTypes: ["image/png"] }),\n    auth: defineAuth("better-auth", {',
      ],
    ]],
  ];
  for (const [label, fixture, config] of variants) {
    models[label] = (await analyze(copyFixture(fixture, `openapi-${label}`, { config }))).model;
    docs[label] = buildOpenApi(models[label]);
  }
});

const schemas = (label: string) => docs[label].components.schemas;

describe('OpenAPI document', () => {
  it('documents the stack add-ons that are on (files, realtime, webhooks), and only those', () => {
    const stack = Object.keys(docs.stack.paths).filter((p) => !p.startsWith('/api/'));
    expect(stack).toEqual(
      expect.arrayContaining([
        '/storage/v1/object/{key}',
        '/broadcast/v1/ws-ticket',
        '/broadcast/v1/websocket',
        '/webhooks/v1/endpoints',
        '/webhooks/v1/inbound/{provider}',
      ]),
    );
    expect(docs.stack.paths['/storage/v1/object/{key}'].put.summary).toContain('1048576 bytes; image/png');
    expect(Object.keys(docs.helpdesk.paths).filter((p) => !p.startsWith('/api/'))).toEqual(['/openapi.json']);
  });

  it('stack routes run the auth chain: every scheme, except the websocket (a ticket) and inbound webhooks (a signature)', () => {
    const chain = Object.keys(docs.stack.components.securitySchemes).map((s) => ({ [s]: [] }));
    const stack = Object.entries<Record<string, any>>(docs.stack.paths).filter(([p]) =>
      /^\/(storage|broadcast|webhooks)\//.test(p)
    );
    const open = stack.flatMap(([p, item]) =>
      Object.entries<any>(item).filter(([, op]) => op.security.length === 0).map(([m]) => `${m} ${p}`)
    );
    expect(open).toEqual(['get /broadcast/v1/websocket', 'post /webhooks/v1/inbound/{provider}']);
    for (const [p, item] of stack)
      for (const [m, op] of Object.entries<any>(item))
        if (op.security.length > 0) expect(op.security, `${m} ${p}`).toEqual(chain);
    const file = docs.stack.paths['/storage/v1/object/{key}'];
    expect(Object.keys(file.get.responses[200].content)).toEqual(['image/png']);
    expect(Object.keys(file.put.requestBody.content)).toEqual(['image/png']);
  });

  it("actions: the declared output as the 200 schema, an open schema without one, the file's own media type, ActionErrors", () => {
    const paths = docs.helpdesk.paths;
    const ok = (path: string, method: string) => paths[path][method].responses['200'];
    expect(ok('/api/v1/tickets/open-count', 'get').content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['open'],
      additionalProperties: false,
    });
    expect(ok('/api/v1/tickets/{id}/escalate', 'post').content['application/json'].schema.properties.priority).toEqual({
      type: 'string',
      const: 'urgent',
    });
    expect(ok('/api/v1/tickets/export', 'get').content).toEqual({
      'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv' } },
    });
    const check = schemaChecker(docs.helpdesk);
    expect(
      check.errors('ActionError', { error: 'No', layer: 'access', code: 'PROBE_REFUSED', details: { status: 402 } }),
    ).toEqual([]);
    const refused = paths['/api/v1/tickets/open-count'].get.responses;
    expect(Object.keys(refused)).toEqual(['200', '304', '400', '401', '403', '4XX', 'default']);
    expect(refused['403'].content['application/json'].schema.anyOf[1]).toEqual({
      $ref: '#/components/schemas/ActionError',
    });
    const bare: Record<string, any> = buildOpenApi({
      ...models.helpdesk,
      features: models.helpdesk.features.map((f) => ({ ...f, actions: f.actions.map(({ output: _o, ...a }) => a) })),
    });
    const open = bare.paths['/api/v1/tickets/open-count'].get.responses['200'];
    expect(open.description).toMatch(/not described/);
    expect(open.content['application/json'].schema).toEqual({});
  });

  it.each(['helpdesk', 'solo', 'interop', 'client-ids', 'stack'])(
    '%s: is valid OpenAPI 3.1 and every schema compiles',
    async (label) => {
      expect(docs[label].openapi).toBe('3.1.0');
      expect(await validateDocument(docs[label])).toEqual({ valid: true, errors: [] });
      expect(() => schemaChecker(docs[label])).not.toThrow();
    },
  );

  it('the checks fail on a broken document', async () => {
    const { info: _info, ...noInfo } = docs.helpdesk;
    expect((await validateDocument(noInfo)).valid).toBe(false);
    const dangling = structuredClone(docs.helpdesk);
    dangling.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema.$ref =
      '#/components/schemas/Nope';
    expect((await validateDocument(dangling)).valid).toBe(false);
    const badSchema = structuredClone(docs.helpdesk);
    badSchema.components.schemas.Tickets.properties.title.type = 'strng';
    expect(() => schemaChecker(badSchema)).toThrow();
  });

  it('closes request bodies to what the guards let a client write', () => {
    const s = schemas('helpdesk');
    expect(s.TicketsCreate.required).toEqual(['title']);
    expect(Object.keys(s.TicketsCreate.properties)).toEqual([
      'title',
      'estimate',
      'dueAt',
      'assigneeId',
      'customerEmail',
    ]);
    expect(Object.keys(s.TicketsUpdate.properties)).toEqual(['title', 'estimate', 'done', 'dueAt', 'assigneeId']);
    const check = schemaChecker(docs.helpdesk);
    expect(check.errors('TicketsCreate', { title: 'Printer', estimate: 3 })).toEqual([]);
    expect(check.errors('TicketsCreate', { estimate: 3 }).join()).toMatch(/required property 'title'/);
    expect(check.errors('TicketsCreate', { title: 'x', priority: 'urgent' }).join()).toMatch(/additional properties/);
    expect(check.errors('TicketsUpdate', { customerEmail: 'a@b.co' }).join()).toMatch(/additional properties/);
    expect(check.errors('TicketsUpdate', {}).join()).toMatch(/fewer than 1/);
  });

  it('never offers system fields in a write body', () => {
    for (const label of ['helpdesk', 'solo', 'interop']) {
      for (const feature of models[label].features.filter((f) => !f.internal)) {
        const system = feature.fields.filter((f) => f.system).map((f) => f.key);
        const s = schemas(label);
        const name = feature.name[0].toUpperCase() + feature.name.slice(1);
        for (const body of [`${name}Create`, `${name}Update`]) {
          expect(system.filter((key) => key in s[body].properties), `${label} ${body}`).toEqual([]);
          expect(s[body].additionalProperties).toBe(false);
        }
      }
    }
  });

  it('describes rows: closed enums, nullability, formats, masked columns', () => {
    const { Tickets } = schemas('helpdesk');
    expect(Tickets.properties.priority).toEqual({ type: 'string', enum: ['low', 'normal', 'urgent'] });
    expect(Tickets.properties.dueAt).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(Tickets.properties.customerEmail).toEqual({
      type: ['string', 'null'],
      description: expect.stringMatching(/Masked \(email\).*admin, owner/),
    });
    expect(Tickets.required).toEqual(
      models.helpdesk.features.find((f) => f.name === 'tickets')!.fields.map((f) => f.key),
    );
    const check = schemaChecker(docs.helpdesk);
    expect(
      check.errors('Tickets', {
        ...Object.fromEntries(Tickets.required.map((k: string) => [k, null])),
        priority: 'critical',
      }).join(),
    ).toMatch(/allowed values/);
    expect(Tickets.properties.id).toEqual({ type: 'string' });
    expect(schemas('solo').Bookmarks.properties.id).toEqual({ type: 'string', format: 'uuid' });
    expect(schemas('interop').Projects.properties.id).toEqual({ type: 'integer' });
  });

  it('has a closed Error schema with every runtime code', () => {
    const { Error } = schemas('helpdesk');
    expect(Error.required).toEqual(['error', 'layer', 'code']);
    expect(Error.additionalProperties).toBe(false);
    expect(Error.properties.code.enum).toEqual(Object.keys(apiErrorCodes));
    expect(Error.properties.code.enum).toContain('GUARD_FIELD_PROTECTED');
    expect(Error.properties.layer.enum).toEqual(
      expect.arrayContaining(['authentication', 'firewall', 'access', 'guards', 'validation', 'database', 'routing']),
    );
    const forbidden = docs.helpdesk.components.responses.Forbidden.content['application/json'].schema;
    expect(forbidden.allOf[1].properties.code.enum).toEqual([
      'FIREWALL_NOT_FOUND',
      'ACCESS_ROLE_REQUIRED',
      'ACCESS_CONDITION_FAILED',
      'ACCESS_CROSS_TENANT_FORBIDDEN',
      'ACCESS_ADMIN_REQUIRED',
      'ACCESS_DENIED_BY_DATABASE',
    ]);
    const create = docs.helpdesk.paths['/api/v1/tickets'].post;
    expect(Object.keys(create.responses)).toEqual(['201', '400', '401', '403', '409', '413', '415', 'default']);
    expect(docs.helpdesk.components.responses.OtherError.description).toMatch(
      /429 \(AUTH_RATE_LIMITED\).*500 \(.*INTERNAL_SERVER_ERROR\).*503 \(.*MISSING_ENV/,
    );
  });
});
