/**
 * Operations of the OpenAPI document follow the routes runtime/crud.ts mounts: list filters per
 * operator, views, PUT only with client ids and no guard lists, batch bodies and results,
 * security per access rule, 404 only in firewall hide mode.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../../../test/helpers/project.js';
import { analyze } from '../../compiler/index.js';
import { MAX_BATCH_SIZE as RUNTIME_MAX_BATCH_SIZE } from '../../runtime/routes/batch.js';
import { schemaChecker } from './openapi.testkit.js';
import { buildOpenApi } from './print/openapi.js';
import { MAX_BATCH_SIZE } from './print/paths.js';

let helpdesk: Record<string, any>;
let clientIds: Record<string, any>;

beforeAll(async () => {
  helpdesk = buildOpenApi((await analyze(copyFixture('helpdesk', 'openapi-paths'))).model);
  clientIds = buildOpenApi(
    (await analyze(copyFixture('solo', 'openapi-paths', { config: [['generateId: "uuid"', 'generateId: false']] })))
      .model,
  );
});

const paramNames = (op: any) => op.parameters.map((p: any) => p.name ?? p.$ref.split('/').pop());

describe('OpenAPI operations', () => {
  it('lists filters for exactly the allowed operators', () => {
    const names = paramNames(helpdesk.paths['/api/v1/tickets'].get);
    expect(names.slice(0, 8)).toEqual([
      'limit',
      'offset',
      'sort',
      'order',
      'fields',
      'search',
      'total',
      'organizationId',
    ]);
    expect(names).toEqual(
      expect.arrayContaining([
        'priority',
        'priority.in',
        'done',
        'customerEmail',
        'estimate.between',
        'estimate.isNull',
      ]),
    );
    expect(names).not.toContain('priority.gt');
    expect(names).not.toContain('view');
    expect(names.filter((n: string) => n.startsWith('estimate'))).toHaveLength(10);
    const priority = helpdesk.paths['/api/v1/tickets'].get.parameters.find((p: any) => p.name === 'priority');
    expect(priority.schema).toEqual({ type: 'string', enum: ['low', 'normal', 'urgent'] });
  });

  it('documents views: the view parameter, the default view allowlist and one path per view', () => {
    const list = helpdesk.paths['/api/v1/ticket-comments'].get;
    const names = paramNames(list);
    expect(list.parameters.find((p: any) => p.name === 'view').schema).toEqual({
      type: 'string',
      enum: ['moderation', 'thread'],
    });
    expect(names).not.toContain('fields');
    expect(names.filter((n: string) => n.startsWith('ticketId'))).toHaveLength(10);
    expect(Object.keys(helpdesk.paths)).toEqual(
      expect.arrayContaining(['/api/v1/ticket-comments/views/thread', '/api/v1/ticket-comments/views/moderation']),
    );
    expect(paramNames(helpdesk.paths['/api/v1/ticket-comments/views/moderation'].get)).not.toContain('view');
  });

  it('offers PUT only with client ids and no guard lists', () => {
    expect(helpdesk.paths['/api/v1/tickets/{id}'].put).toBeUndefined();
    expect(helpdesk.paths['/api/v1/tickets/batch'].put).toBeUndefined();
    const put = clientIds.paths['/api/v1/bookmarks/{id}'].put;
    expect(Object.keys(put.responses).slice(0, 2)).toEqual(['200', '201']);
    expect(put.requestBody.content['application/json'].schema.required).toBeUndefined();
    const batchPut = clientIds.paths['/api/v1/bookmarks/batch'].put.requestBody.content['application/json'].schema;
    expect(batchPut.properties.records.items.required).toEqual(['id']);
    expect(clientIds.components.schemas.BookmarksCreate.required).toEqual(['id', 'url']);
  });

  it('describes batch bodies and results', () => {
    const batch = helpdesk.paths['/api/v1/tickets/batch'];
    expect(Object.keys(batch)).toEqual(['post', 'patch', 'delete']);
    const del = batch.delete.requestBody.content['application/json'].schema;
    expect(del.properties.ids.maxItems).toBe(MAX_BATCH_SIZE);
    expect(MAX_BATCH_SIZE).toBe(RUNTIME_MAX_BATCH_SIZE);
    // 409: an Idempotency-Key reused with another body, or still in flight.
    expect(Object.keys(batch.post.responses)).toEqual([
      '200',
      '201',
      '207',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      'default',
    ]);
    const check = schemaChecker(helpdesk);
    const result = {
      success: [],
      errors: [{ index: 0, error: { error: 'x', layer: 'guards', code: 'GUARD_FIELD_PROTECTED' } }],
      meta: { total: 1, succeeded: 0, failed: 1, failFast: false, transactional: false },
    };
    expect(check.errors('TicketsBatchResult', result)).toEqual([]);
    const patchRecord = batch.patch.requestBody.content['application/json'].schema.properties.records.items;
    expect(patchRecord.required).toEqual(['id']);
    expect(Object.keys(patchRecord.properties)).toEqual(['id', 'title', 'estimate', 'done', 'dueAt', 'assigneeId']);
  });

  it('states security per access rule and 404 only in hide mode', () => {
    const bookmarks = clientIds.paths['/api/v1/bookmarks'];
    // PUBLIC read, but user-scoped: an anonymous caller gets 401 before access is judged (security.test.ts has the rest).
    expect(bookmarks.get.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    expect(bookmarks.post.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    expect(clientIds.paths['/api/v1/bookmarks/{id}'].get.responses['404']).toBeDefined();
    expect(helpdesk.paths['/api/v1/tickets/{id}'].get.responses['404']).toBeUndefined();
    expect(helpdesk.paths['/api/v1/tickets/{id}'].get.responses['304']).toBeDefined();
  });
});
