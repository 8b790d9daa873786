import { describe, expect, it } from 'vitest';
import { anonymousContext, type AppContext } from './context.js';
import { maskRow, maskValue, queryable, revealed, type MaskRule } from './masking.js';

const member: AppContext = { ...anonymousContext, authenticated: true, userId: 'u1', userRole: 'user', activeOrgId: 'o1', roles: ['member'] };
const admin: AppContext = { ...member, userId: 'u2', roles: ['admin'] };
const rule = (type: MaskRule['type'], extra: Partial<MaskRule> = {}): MaskRule => ({ type, show: { roles: ['admin'], userRole: [] }, query: { roles: ['admin'] }, ...extra });

describe('mask formats', () => {
  it('keeps the first character of the local part and the domain, and the TLD', () => {
    expect(maskValue(rule('email'), 'jane.doe@example.com')).toBe('j***@e***.com');
    expect(maskValue(rule('email'), 'a@b.co')).toBe('a***@b***.co');
    expect(maskValue(rule('email'), 'not-an-email')).toBe('[REDACTED]');
  });

  it('keeps the last four digits of phone, ssn and card numbers, dropping other characters', () => {
    expect(maskValue(rule('phone'), '+1 (555) 123-4567')).toBe('*******4567');
    expect(maskValue(rule('ssn'), '123-45-6789')).toBe('*****6789');
    expect(maskValue(rule('creditCard'), '4111 1111 1111 1111')).toBe('************1111');
    expect(maskValue(rule('phone'), '123')).toBe('****');
  });

  it('keeps initials of names, redacts, and applies custom keep rules', () => {
    expect(maskValue(rule('name'), 'Jane  van Doe')).toBe('J*** v*** D***');
    expect(maskValue(rule('redact'), 'secret')).toBe('[REDACTED]');
    expect(maskValue(rule('custom', { custom: { keepFirst: 2, keepLast: 1 } }), 'ABCDEFG')).toBe('AB****G');
    expect(maskValue(rule('custom', { custom: { keepFirst: 2, keepLast: 2 } }), 'ABC')).toBe('***');
  });

  it('passes null through and masks non-strings as text', () => {
    expect(maskValue(rule('redact'), null)).toBeNull();
    expect(maskValue(rule('phone'), 5551234567)).toBe('******4567');
  });
});

describe('who sees what', () => {
  const masking = { email: rule('email', { show: { roles: ['admin'], userRole: ['support'], owner: 'ownerId' } }) };
  const row = { id: 'r1', ownerId: 'u9', email: 'jane@example.com' };

  it('reveals to show roles, platform roles and the row owner; masks for everyone else', () => {
    expect(maskRow(masking, admin, row).email).toBe('jane@example.com');
    expect(maskRow(masking, { ...member, userRole: 'support' }, row).email).toBe('jane@example.com');
    expect(maskRow(masking, { ...member, userId: 'u9' }, row).email).toBe('jane@example.com');
    expect(maskRow(masking, member, row).email).toBe('j***@e***.com');
    expect(revealed(masking.email, anonymousContext, row)).toBe(false);
  });

  it('does not copy rows with nothing to mask, and never mutates the input', () => {
    const plain = { id: 'r2' };
    expect(maskRow(masking, member, plain)).toBe(plain);
    maskRow(masking, member, row);
    expect(row.email).toBe('jane@example.com');
  });

  it('lets only query roles filter, sort or search on a masked column', () => {
    expect(queryable(masking.email, admin)).toBe(true);
    expect(queryable(masking.email, member)).toBe(false);
    expect(queryable(undefined, member)).toBe(true);
  });
});
