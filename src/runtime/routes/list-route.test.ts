import { describe, expect, it } from 'vitest';
import { isApiError } from '../core/errors.js';
import { resolveView } from './list-route.js';
import type { ResourceDefinition } from '../core/resource.js';

const board = { fields: ['id', 'title'], access: { roles: ['member'] }, query: {} };
const resource = (views: ResourceDefinition['views'], defaultView?: string) =>
  ({ views, defaultView }) as ResourceDefinition;

function failure(run: () => unknown) {
  try {
    run();
    return undefined;
  } catch (err) {
    return isApiError(err) ? { code: err.code, status: err.status, details: err.details } : err;
  }
}

describe('view resolution', () => {
  it('uses no view when none are declared, the default view for a bare list, or the requested one', () => {
    expect(resolveView(resource({}), undefined)).toBeUndefined();
    expect(resolveView(resource({ board }, 'board'), undefined)).toEqual(['board', board]);
    expect(resolveView(resource({ board, other: board }, 'board'), 'other')?.[0]).toBe('other');
  });

  it('requires a view when views exist without a default, and names the views', () => {
    expect(failure(() => resolveView(resource({ board }), undefined))).toEqual({
      code: 'VIEW_REQUIRED',
      status: 400,
      details: { views: ['board'] },
    });
  });

  it('rejects unknown views, including inherited property names', () => {
    expect(failure(() => resolveView(resource({ board }), 'nope'))).toMatchObject({
      code: 'VIEW_NOT_FOUND',
      status: 400,
    });
    expect(failure(() => resolveView(resource({ board }), 'constructor'))).toMatchObject({ code: 'VIEW_NOT_FOUND' });
    expect(failure(() => resolveView(resource({}), '__proto__'))).toMatchObject({ code: 'VIEW_NOT_FOUND' });
  });
});
