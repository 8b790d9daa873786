import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { q } from '../../../dsl/columns/q.js';
import type { ActionSpec } from '../../../dsl/actions.js';
import type { ActionsInput } from '../../load/types.js';
import { project, resource, summary } from '../test-project.js';
import { actionsRule } from './actions-rule.js';

const tickets = resource('tickets', {
  title: q.text().required(),
  status: q.enum(['open', 'closed']).default('open'),
  organizationId: q.scope('organization'),
});
const schema = { schema: z.toJSONSchema(z.object({})) as Record<string, unknown> };

function file(
  actions: Record<string, Partial<ActionSpec> & Record<string, unknown>>,
  table: string | null = 'tickets',
): ActionsInput {
  const resolved = Object.fromEntries(
    Object.entries(actions).map(([name, spec]) => [name, {
      ...(spec.input === undefined
        ? {}
        : { input: spec.input === 'bad' ? { problem: 'is not a zod 4 schema' } : schema }),
      ...(spec.output === undefined
        ? {}
        : {
          output: spec.output === 'bad'
            ? { problem: 'cannot be described as JSON Schema (Date cannot be represented)' }
            : schema,
        }),
      ...(typeof spec.handler === 'string'
        ? { handler: { file: `quickback/features/tickets/${spec.handler}.ts`, exists: true } }
        : {}),
    }]),
  );
  return {
    file: 'quickback/features/tickets/actions.ts',
    featureDir: 'tickets',
    table,
    actions: actions as Record<string, ActionSpec>,
    resolved,
  };
}
const ok = { description: 'd', input: z.object({}), handler: './handlers/x' };
const check = (...files: ActionsInput[]) =>
  summary(actionsRule(project({ resources: [tickets], actions: files }))).sort();

describe('actions rule', () => {
  it('accepts complete record and standalone actions', () => {
    expect(check(file({
      close: {
        ...ok,
        access: { roles: ['admin+'] },
        transition: { field: 'status', fromTo: { open: ['closed'] }, to: 'closed' },
      },
      stats: { ...ok, standalone: true, path: '/tickets/stats', method: 'GET', responseType: 'file' },
    }))).toEqual([]);
  });

  it('reports missing parts, inline execute, unknown options and roles', () => {
    expect(check(file({
      a: { input: 'bad', handler: './h' },
      b: { description: 'd', execute: () => 1 },
      c: { ...ok, acess: {}, access: { roles: ['admn'] } },
    } as never))).toEqual([
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.a.input',
      'QB_VALIDATE_MISSING_OPTION @ features.tickets.actions.a.description',
      'QB_VALIDATE_MISSING_OPTION @ features.tickets.actions.b.input',
      'QB_VALIDATE_NOT_SUPPORTED @ features.tickets.actions.b.execute',
      'QB_VALIDATE_UNKNOWN_OPTION @ features.tickets.actions.c.acess',
      'QB_VALIDATE_UNKNOWN_ROLE @ features.tickets.actions.c.access.roles[0]',
    ]);
  });

  it('checks transitions against the column and its states', () => {
    expect(check(file({
      x: { ...ok, transition: { field: 'state', fromTo: {}, to: 'a' } },
      y: { ...ok, transition: { field: 'status', fromTo: { open: ['done'] }, to: 'closed' } },
      z: { ...ok, transition: { field: 'status', fromTo: { open: ['closed'] } } },
    }))).toEqual([
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.y.transition.fromTo',
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.y.transition.to',
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.z.transition',
      'QB_VALIDATE_UNKNOWN_COLUMN @ features.tickets.actions.x.transition.field',
    ]);
  });

  it('rejects bad paths, reserved names, record file responses, collisions and unknown tables', () => {
    expect(check(
      file({
        batch: ok,
        s1: { ...ok, standalone: true, path: 'no-slash' },
        f: { ...ok, responseType: 'stream' },
        s2: { ...ok, standalone: true, path: '/tickets', method: 'GET' },
      }),
      file({ x: ok }, 'ghosts'),
    )).toEqual([
      'QB_VALIDATE_INVALID_ACTION @ features.ghosts.actions',
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.batch',
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.f.responseType',
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.s2.path',
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.actions.s1.path',
    ]);
  });

  it('checks what an action answers: output for JSON, a media type for files and streams', () => {
    expect(check(file({
      stats: { ...ok, output: z.object({ open: z.number() }) },
      csv: {
        ...ok,
        standalone: true,
        path: '/tickets/csv',
        method: 'GET',
        responseType: 'file',
        contentType: 'text/csv',
      },
      feed: {
        ...ok,
        standalone: true,
        path: '/tickets/feed',
        responseType: 'stream',
        contentType: 'text/event-stream',
      },
    }))).toEqual([]);
    expect(check(file({
      a: { ...ok, output: 'bad' },
      b: { ...ok, standalone: true, path: '/b', responseType: 'file', output: z.object({}) },
      c: { ...ok, contentType: 'text/csv' },
      d: { ...ok, standalone: true, path: '/d', responseType: 'file', contentType: 'text/csv; charset=utf-8' },
      e: { ...ok, standalone: true, path: '/e', responseType: 'stream', contentType: 'csv' },
    }))).toEqual([
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.a.output',
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.b.output',
      'QB_VALIDATE_INVALID_ACTION @ features.tickets.actions.c.contentType',
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.actions.d.contentType',
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.actions.e.contentType',
    ]);
  });
});
