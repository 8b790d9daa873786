import { describe, expect, it } from 'vitest';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import * as z from 'zod';
import { isApiError } from '../core/errors.js';
import { checkWrite, writableKeys } from './guards.js';
import type { ResourceDefinition } from '../core/resource.js';

const table = sqliteTable('t', {
  id: text('id').primaryKey(),
  title: text('title'),
  status: text('status'),
  sku: text('sku'),
  notes: text('notes'),
  organizationId: text('organization_id'),
  createdAt: text('created_at'),
});
const field = (key: string, system = false) => ({
  key,
  kind: 'text' as const,
  system,
  filterable: false,
  searchable: false,
});

function resource(guards: ResourceDefinition['guards'], clientIds = false): ResourceDefinition {
  return {
    name: 't',
    table,
    id: { key: 'id', type: 'text', clientIds },
    fields: [
      field('id', !clientIds),
      field('title'),
      field('status'),
      field('sku'),
      field('notes'),
      field('organizationId', true),
      field('createdAt', true),
    ],
    firewall: { predicates: [], errorMode: 'reveal' },
    scope: {},
    access: { read: {}, create: {}, update: {}, delete: {} },
    deleteMode: 'soft',
    audit: {
      createdAt: 'createdAt',
      modifiedAt: 'modifiedAt',
      deletedAt: 'deletedAt',
      createdBy: 'createdBy',
      modifiedBy: 'modifiedBy',
      deletedBy: 'deletedBy',
    },
    createBody: z.object({}),
    updateBody: z.object({}),
    masking: {},
    views: {},
    batch: { create: true, update: true, delete: true, upsert: false },
    put: false,
    guards,
  };
}

function codeOf(run: () => void): unknown {
  try {
    run();
    return null;
  } catch (err) {
    return isApiError(err) ? { code: err.code, details: err.details } : err;
  }
}

const lists = resource({
  lists: true,
  createable: ['title'],
  updatable: ['title', 'notes'],
  immutable: ['sku'],
  protected: { status: ['approve'] },
});

describe('guards', () => {
  it('classifies create keys: system-managed > protected > not createable > unknown', () => {
    expect(codeOf(() => checkWrite(lists, { title: 'a', sku: 'x' }, 'create'))).toBeNull();
    expect(codeOf(() => checkWrite(lists, { organizationId: 'o', status: 's', notes: 'n', zzz: 1 }, 'create')))
      .toMatchObject({ code: 'GUARD_SYSTEM_MANAGED', details: { fields: ['organizationId'] } });
    expect(codeOf(() => checkWrite(lists, { status: 's', notes: 'n', zzz: 1 }, 'create'))).toEqual({
      code: 'GUARD_FIELD_PROTECTED',
      details: { fields: ['status'], actions: { status: ['approve'] } },
    });
    expect(codeOf(() => checkWrite(lists, { notes: 'n', zzz: 1 }, 'create'))).toMatchObject({
      code: 'GUARD_FIELD_NOT_CREATEABLE',
      details: { fields: ['notes'] },
    });
    expect(codeOf(() => checkWrite(lists, { zzz: 1 }, 'create'))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { zzz: 'Unknown field' } },
    });
  });

  it('classifies update keys: system-managed > immutable > protected > not updatable', () => {
    expect(codeOf(() => checkWrite(lists, { title: 'a', notes: 'b' }, 'update'))).toBeNull();
    expect(codeOf(() => checkWrite(lists, { id: 'x', sku: 'x', status: 's' }, 'update'))).toMatchObject({
      code: 'GUARD_SYSTEM_MANAGED',
      details: { fields: ['id'] },
    });
    expect(codeOf(() => checkWrite(lists, { sku: 'x', status: 's' }, 'update'))).toMatchObject({
      code: 'GUARD_FIELD_IMMUTABLE',
    });
    expect(codeOf(() => checkWrite(lists, { status: 's' }, 'update'))).toMatchObject({ code: 'GUARD_FIELD_PROTECTED' });
    expect(codeOf(() => checkWrite(resource({ ...lists.guards, updatable: ['title'] }), { notes: 'x' }, 'update')))
      .toMatchObject({ code: 'GUARD_FIELD_NOT_UPDATABLE' });
  });

  it('without lists, every non-system field is writable; client ids only on create', () => {
    const open = resource({ lists: false, createable: [], updatable: [], immutable: [], protected: {} }, true);
    expect(codeOf(() => checkWrite(open, { id: 'c1', title: 'a', status: 'b' }, 'create'))).toBeNull();
    expect(codeOf(() => checkWrite(open, { id: 'c1' }, 'update'))).toMatchObject({ code: 'GUARD_SYSTEM_MANAGED' });
    expect(writableKeys(open, 'update')).toEqual(['title', 'status', 'sku', 'notes']);
  });
});

describe('guard errors tell the client what to send', () => {
  const hintOf = (run: () => void) => {
    try {
      run();
      return null;
    } catch (err) {
      return isApiError(err) ? { code: err.code, hint: err.hint, message: err.message, details: err.details } : err;
    }
  };

  it('each class has its hint; not createable / updatable list the writable fields, sorted offenders', () => {
    expect(hintOf(() => checkWrite(lists, { createdAt: 'x' }, 'create'))).toMatchObject({
      hint: expect.stringContaining('set by the server'),
    });
    expect(hintOf(() => checkWrite(lists, { sku: 'x' }, 'update'))).toMatchObject({
      hint: 'These fields can only be set when the record is created.',
    });
    expect(hintOf(() => checkWrite(lists, { status: 'x' }, 'update'))).toMatchObject({
      hint: expect.stringContaining('details.actions'),
    });
    expect(hintOf(() => checkWrite(lists, { status: 'x', notes: 'n', sku: 's' }, 'create'))).toMatchObject({
      code: 'GUARD_FIELD_PROTECTED',
    });
    expect(hintOf(() => checkWrite(lists, { notes: 'n' }, 'create'))).toMatchObject({
      hint: 'Writable fields: title, sku',
    });
    const closed = resource({ lists: true, createable: [], updatable: [], immutable: [], protected: {} });
    expect(hintOf(() => checkWrite(closed, { title: 'a', notes: 'n' }, 'update'))).toEqual({
      code: 'GUARD_FIELD_NOT_UPDATABLE',
      message: expect.any(String),
      hint: 'Writable fields: (none)',
      details: { fields: ['notes', 'title'] },
    });
  });

  it('unknown fields: VALIDATION_FAILED naming each, sorted, with the writable fields', () => {
    expect(hintOf(() => checkWrite(lists, { zz: 1, aa: 2 }, 'update'))).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'The body has unknown fields',
      hint: 'Writable fields: title, notes',
      details: { fields: { aa: 'Unknown field', zz: 'Unknown field' } },
    });
    expect(
      Object.keys(
        (hintOf(() => checkWrite(lists, { zz: 1, aa: 2 }, 'update')) as { details: { fields: object } }).details.fields,
      ),
    ).toEqual(['aa', 'zz']);
    const closed = resource({ lists: true, createable: [], updatable: [], immutable: [], protected: {} });
    expect(hintOf(() => checkWrite(closed, { zz: 1 }, 'create'))).toMatchObject({ hint: 'Writable fields: (none)' });
  });

  it('a client id on create passes the lists (it is not a createable field), and is system-managed on update', () => {
    const clientLists = resource({ ...lists.guards }, true);
    expect(hintOf(() => checkWrite(clientLists, { id: 'c1', title: 'a' }, 'create'))).toBeNull();
    expect(hintOf(() => checkWrite(clientLists, { id: 'c1' }, 'update'))).toMatchObject({
      code: 'GUARD_SYSTEM_MANAGED',
    });
  });
});
