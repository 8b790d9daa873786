import { describe, expect, it } from 'vitest';
import type { FieldModel } from './ir.js';
import { batchModel, guardsModel, putEnabled } from './guards.js';
import { autoMaskType, maskingModel } from './masking.js';
import { securityHeaders } from './security.js';

const field = (key: string, system = false): FieldModel => ({
  key,
  kind: 'text',
  requiredOnCreate: false,
  nullable: true,
  system,
  filterable: false,
  searchable: false,
  encrypted: false,
});

describe('security headers', () => {
  it('defaults every header, and lets each one be changed or dropped', () => {
    const defaults = securityHeaders(undefined, ['https://app.example.com']);
    expect(defaults).toMatchObject({
      'content-security-policy': "default-src 'none'; frame-ancestors 'self' https://app.example.com",
      'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
      'cross-origin-embedder-policy': 'require-corp',
      'permissions-policy': 'geolocation=(), microphone=(), camera=()',
      'x-frame-options': 'SAMEORIGIN',
    });
    const custom = securityHeaders({
      csp: { defaultSrc: ['@self'], imgSrc: ['@self', 'https://cdn.example.com'] },
      hsts: { maxAge: 63072000, preload: false },
      coep: false,
      permissionsPolicy: { camera: ['@self'] },
    }, []);
    expect(custom['content-security-policy']).toBe(
      "default-src 'self'; frame-ancestors 'self'; img-src 'self' https://cdn.example.com",
    );
    expect(custom['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(custom['permissions-policy']).toBe('camera=(self)');
    expect(custom).not.toHaveProperty('cross-origin-embedder-policy');
    expect(securityHeaders(false, [])).toEqual({});
    expect(Object.keys(defaults)).toEqual([...Object.keys(defaults)].sort());
  });
});

describe('masking model', () => {
  it('recognises sensitive names by whole words or substrings, not by accident', () => {
    expect(
      ['contactEmail', 'mobileNumber', 'ssn', 'cardNumber', 'cc', 'apiKey', 'refresh_token', 'iban'].map(autoMaskType),
    ).toEqual(['email', 'phone', 'ssn', 'creditCard', 'creditCard', 'redact', 'redact', 'redact']);
    expect(['account', 'access', 'tokenizer', 'title', 'success'].map(autoMaskType)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('expands roles, reveals to the owner only when the table has one, and lets explicit config win', () => {
    const ctx = {
      fields: [field('email'), field('phone'), field('ownerId', true)],
      scope: { owner: 'ownerId' },
      hierarchy: ['member', 'admin', 'owner'],
    };
    const model = maskingModel({ masking: { phone: { type: 'phone', show: { roles: ['member+'] } } } }, ctx);
    expect(model.email).toEqual({
      type: 'email',
      show: { roles: ['admin', 'owner'], userRole: [], owner: 'ownerId' },
      query: { roles: ['admin', 'owner'] },
      auto: true,
    });
    expect(model.phone).toEqual({
      type: 'phone',
      show: { roles: ['member', 'admin', 'owner'], userRole: [] },
      query: { roles: ['member', 'admin', 'owner'] },
      auto: false,
    });
    expect(maskingModel({}, { ...ctx, scope: {} }).email.show).not.toHaveProperty('owner');
  });
});

describe('guards model', () => {
  it('keeps only client-writable fields, sorted; no lists means everything writable', () => {
    const fields = [field('title'), field('status'), field('organizationId', true)];
    expect(
      guardsModel({ guards: { createable: ['title', 'organizationId'], protected: { status: ['approve'] } } }, fields),
    )
      .toEqual({
        lists: true,
        createable: ['title'],
        updatable: [],
        immutable: [],
        protected: { status: ['approve'] },
      });
    expect(guardsModel({}, fields)).toEqual({
      lists: false,
      createable: ['status', 'title'],
      updatable: ['status', 'title'],
      immutable: [],
      protected: {},
    });
  });

  it('derives PUT and batch switches', () => {
    expect(putEnabled({}, true)).toBe(true);
    expect(putEnabled({ guards: { createable: [] } }, true)).toBe(false);
    expect(putEnabled({}, false)).toBe(false);
    expect(batchModel({ crud: { batchDelete: false } }, true)).toEqual({
      create: true,
      update: true,
      delete: false,
      upsert: true,
    });
  });
});
