import { describe, expect, it } from 'vitest';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import * as z from 'zod';
import { isApiError } from './errors.js';
import { checkWrite, writableKeys } from './guards.js';
import type { ResourceDefinition } from './resource.js';

const table = sqliteTable('t', { id: text('id').primaryKey(), title: text('title'), status: text('status'), sku: text('sku'), notes: text('notes'), organizationId: text('organization_id'), createdAt: text('created_at') });
const field = (key: string, system = false) => ({ key, kind: 'text' as const, system, filterable: false, searchable: false });

function resource(guards: ResourceDefinition['guards'], clientIds = false): ResourceDefinition {
  return {
    name: 't', table, id: { key: 'id', type: 'text', clientIds },
    fields: [field('id', !clientIds), field('title'), field('status'), field('sku'), field('notes'), field('organizationId', true), field('createdAt', true)],
    firewall: { predicates: [], errorMode: 'reveal' }, scope: {}, access: { read: {}, create: {}, update: {}, delete: {} }, deleteMode: 'soft',
    audit: { createdAt: 'createdAt', modifiedAt: 'modifiedAt', deletedAt: 'deletedAt', createdBy: 'createdBy', modifiedBy: 'modifiedBy', deletedBy: 'deletedBy' },
    createBody: z.object({}), updateBody: z.object({}), masking: {}, views: {}, batch: { create: true, update: true, delete: true, upsert: false }, put: false, guards,
  };
}

function codeOf(run: () => void): unknown {
  try { run(); return null; } catch (err) { return isApiError(err) ? { code: err.code, details: err.details } : err; }
}

const lists = resource({ lists: true, createable: ['title'], updatable: ['title', 'notes'], immutable: ['sku'], protected: { status: ['approve'] } });

describe('guards', () => {
  it('classifies create keys: system-managed > protected > not createable > unknown', () => {
    expect(codeOf(() => checkWrite(lists, { title: 'a', sku: 'x' }, 'create'))).toBeNull();
    expect(codeOf(() => checkWrite(lists, { organizationId: 'o', status: 's', notes: 'n', zzz: 1 }, 'create'))).toMatchObject({ code: 'GUARD_SYSTEM_MANAGED', details: { fields: ['organizationId'] } });
    expect(codeOf(() => checkWrite(lists, { status: 's', notes: 'n', zzz: 1 }, 'create'))).toEqual({ code: 'GUARD_FIELD_PROTECTED', details: { fields: ['status'], actions: { status: ['approve'] } } });
    expect(codeOf(() => checkWrite(lists, { notes: 'n', zzz: 1 }, 'create'))).toMatchObject({ code: 'GUARD_FIELD_NOT_CREATEABLE', details: { fields: ['notes'] } });
    expect(codeOf(() => checkWrite(lists, { zzz: 1 }, 'create'))).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: { zzz: 'Unknown field' } } });
  });

  it('classifies update keys: system-managed > immutable > protected > not updatable', () => {
    expect(codeOf(() => checkWrite(lists, { title: 'a', notes: 'b' }, 'update'))).toBeNull();
    expect(codeOf(() => checkWrite(lists, { id: 'x', sku: 'x', status: 's' }, 'update'))).toMatchObject({ code: 'GUARD_SYSTEM_MANAGED', details: { fields: ['id'] } });
    expect(codeOf(() => checkWrite(lists, { sku: 'x', status: 's' }, 'update'))).toMatchObject({ code: 'GUARD_FIELD_IMMUTABLE' });
    expect(codeOf(() => checkWrite(lists, { status: 's' }, 'update'))).toMatchObject({ code: 'GUARD_FIELD_PROTECTED' });
    expect(codeOf(() => checkWrite(resource({ ...lists.guards, updatable: ['title'] }), { notes: 'x' }, 'update'))).toMatchObject({ code: 'GUARD_FIELD_NOT_UPDATABLE' });
  });

  it('without lists, every non-system field is writable; client ids only on create', () => {
    const open = resource({ lists: false, createable: [], updatable: [], immutable: [], protected: {} }, true);
    expect(codeOf(() => checkWrite(open, { id: 'c1', title: 'a', status: 'b' }, 'create'))).toBeNull();
    expect(codeOf(() => checkWrite(open, { id: 'c1' }, 'update'))).toMatchObject({ code: 'GUARD_SYSTEM_MANAGED' });
    expect(writableKeys(open, 'update')).toEqual(['title', 'status', 'sku', 'notes']);
  });
});
