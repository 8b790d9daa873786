import { describe, expect, it } from 'vitest';
import { anonymousContext, type AppContext } from '../core/context.js';
import { maskRow, maskValue, queryable, revealed, type MaskRule } from './masking.js';

const member: AppContext = {
  ...anonymousContext,
  authenticated: true,
  userId: 'u1',
  userRole: 'user',
  activeOrgId: 'o1',
  roles: ['member'],
};
const admin: AppContext = { ...member, userId: 'u2', roles: ['admin'] };
const rule = (type: MaskRule['type'], extra: Partial<MaskRule> = {}): MaskRule => ({
  type,
  show: { roles: ['admin'], userRole: [] },
  query: { roles: ['admin'] },
  ...extra,
});

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

describe('mask formats at their edges', () => {
  it('emails: a leading @ is redacted; a domain without a dot or with a leading dot keeps only its initial', () => {
    expect(maskValue(rule('email'), '@example.com')).toBe('[REDACTED]');
    expect(maskValue(rule('email'), 'j@localhost')).toBe('j***@l***');
    expect(maskValue(rule('email'), 'j@.hidden')).toBe('j***@.***');
    expect(maskValue(rule('email'), 'a@b@mail.example.org')).toBe('a***@m***.org');
  });

  it('digits: exactly four are all hidden; five show the last four', () => {
    expect(maskValue(rule('ssn'), '1234')).toBe('****');
    expect(maskValue(rule('ssn'), '12345')).toBe('*2345');
  });

  it('names: surrounding and inner whitespace of any kind, multi-code-unit initials, and blank names', () => {
    expect(maskValue(rule('name'), '  Ada\tLovelace \n')).toBe('A*** L***');
    expect(maskValue(rule('name'), '𝒜da')).toBe('𝒜***');
    expect(maskValue(rule('name'), '   ')).toBe('***');
  });

  it('custom: a value exactly as long as what it keeps is fully hidden (at least three stars); code points, not code units', () => {
    expect(maskValue(rule('custom', { custom: { keepFirst: 1, keepLast: 1 } }), 'AB')).toBe('***');
    expect(maskValue(rule('custom', { custom: { keepFirst: 1, keepLast: 1 } }), 'ABCDE')).toBe('A***E');
    expect(maskValue(rule('custom', { custom: { keepFirst: 1, keepLast: 2 } }), '𝒜BCDEFG')).toBe('𝒜****FG');
    expect(maskValue(rule('custom', { custom: { keepFirst: 0, keepLast: 0 } }), 'ABCD')).toBe('****');
    expect(maskValue(rule('custom'), 'ABCD')).toBe('****');
    expect(maskValue(rule('redact'), undefined)).toBeUndefined();
  });
});

describe('revealed: each way in, and only that way', () => {
  const owned = rule('email', { show: { roles: ['admin', 'owner'], userRole: [], owner: 'ownerId' } });

  it('any one of the show roles is enough; a signed-out caller with the role sees nothing', () => {
    expect(revealed(owned, { ...member, roles: ['member', 'owner'] }, {})).toBe(true);
    expect(revealed(owned, { ...admin, authenticated: false }, {})).toBe(false);
  });

  it('no platform role, or one not listed, reveals nothing', () => {
    expect(revealed(rule('email', { show: { roles: [], userRole: ['support'] } }), { ...member, userRole: null }, {}))
      .toBe(false);
    expect(revealed(rule('email', { show: { roles: [], userRole: ['support'] } }), member, {})).toBe(false);
  });

  it('the owner column must hold this caller; no owner rule or no user id reveals nothing', () => {
    expect(revealed(owned, member, { ownerId: 'u1' })).toBe(true);
    expect(revealed(owned, member, { ownerId: 'u2' })).toBe(false);
    expect(revealed(rule('email'), member, { ownerId: 'u1', undefined: 'u1' })).toBe(false);
    expect(revealed(owned, { ...member, userId: null }, { ownerId: null })).toBe(false);
  });

  it('maskRow masks every column the caller may not see and copies the rest', () => {
    const masking = { email: rule('email'), phone: rule('phone') };
    const row = { id: 'r1', email: 'ada@example.com', phone: '5551234567' };
    expect(maskRow(masking, member, row)).toEqual({ id: 'r1', email: 'a***@e***.com', phone: '******4567' });
  });
});
