import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ColumnBuilder } from '../../../dsl/columns/builder.js';
import type { ColumnSpec } from '../../../dsl/columns/spec.js';
import { project, resource, summary } from '../test-project.js';
import { columnBoundsRule } from './column-bounds-rule.js';
import { columnDefaultRule } from './column-default-rule.js';
import { duplicateFeatureRule } from './duplicate-feature-rule.js';
import { idColumnRule } from './id-column-rule.js';
import { namesRule } from './names-rule.js';
import { referenceRule } from './reference-rule.js';
import { reservedColumnRule } from './reserved-column-rule.js';

const scoped = (columns: Record<string, ColumnBuilder>, name = 'tickets') =>
  resource(name, { id: q.id(), organizationId: q.scope('organization'), ...columns });
const one = (rule: typeof namesRule, columns: Record<string, ColumnBuilder>) =>
  rule(project({ resources: [scoped(columns)] }));

describe('names rule', () => {
  it('rejects feature and column names that are not identifiers', () => {
    const diagnostics = namesRule(
      project({
        resources: [resource('my-tickets', { id: q.id(), 'due date': q.text(), _x: q.text(), ok_1: q.text() })],
      }),
    );
    expect(diagnostics.map((d) => [d.code, d.at, d.hint])).toEqual([
      ['QB_VALIDATE_INVALID_NAME', 'features.my-tickets', 'Try "my_tickets".'],
      ['QB_VALIDATE_INVALID_NAME', 'features.my-tickets.columns["due date"]', 'Try "due_date".'],
      ['QB_VALIDATE_INVALID_NAME', 'features.my-tickets.columns._x', 'Try "x".'],
    ]);
    expect(namesRule(project({ resources: [resource('2fa', { id: q.id() })] }))[0].hint).toBe('Try "n2fa".');
  });

  it('rejects features that would sit on a platform route (/api/v1/token, /api/v1/schema)', () => {
    for (const name of ['token', 'schema']) {
      const [d] = namesRule(project({ resources: [resource(name, { id: q.id() })] }));
      expect(d).toMatchObject({ code: 'QB_VALIDATE_INVALID_NAME', at: `features.${name}` });
      expect(d.message).toContain(`/api/v1/${name}`);
    }
    expect(namesRule(project({ resources: [resource('tokens', { id: q.id() })] }))).toEqual([]);
  });
});

describe('duplicate feature rule', () => {
  it('reports every occurrence, naming the other file', () => {
    const a = scoped({});
    const b = { ...scoped({}), file: 'quickback/features/other/other.ts' };
    const c = { ...scoped({}, 'Tickets'), file: 'quickback/features/third/third.ts' };
    const diagnostics = duplicateFeatureRule(project({ resources: [a, b, c, scoped({}, 'unique')] }));
    expect(diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      [
        'QB_VALIDATE_DUPLICATE_FEATURE',
        a.file,
        'Feature "tickets" is also defined in quickback/features/other/other.ts, quickback/features/third/third.ts',
      ],
      [
        'QB_VALIDATE_DUPLICATE_FEATURE',
        b.file,
        'Feature "tickets" is also defined in quickback/features/tickets/tickets.ts, quickback/features/third/third.ts',
      ],
      [
        'QB_VALIDATE_DUPLICATE_FEATURE',
        c.file,
        'Feature "Tickets" is also defined in quickback/features/tickets/tickets.ts, quickback/features/other/other.ts',
      ],
    ]);
  });

  it('says when the duplicate is in the same file', () => {
    const [d] = duplicateFeatureRule(project({ resources: [scoped({}), scoped({})] }));
    expect(d.message).toBe('Feature "tickets" is also defined in another export of this file');
  });
});

describe('reserved column rule', () => {
  it('rejects audit columns declared by a feature', () => {
    const diagnostics = one(reservedColumnRule, {
      createdAt: q.timestamp(),
      modifiedBy: q.text(),
      deletedAt: q.timestamp(),
      created: q.text(),
    });
    expect(summary(diagnostics)).toEqual([
      'QB_VALIDATE_RESERVED_COLUMN @ features.tickets.columns.createdAt',
      'QB_VALIDATE_RESERVED_COLUMN @ features.tickets.columns.modifiedBy',
      'QB_VALIDATE_RESERVED_COLUMN @ features.tickets.columns.deletedAt',
    ]);
  });

  it('lets Drizzle tables declare them', () => {
    const drizzle = resource(
      'legacy',
      { id: q.id(), createdAt: q.timestamp(), createdBy: q.text() },
      {},
      { form: 'drizzle' },
    );
    expect(reservedColumnRule(project({ resources: [drizzle] }))).toEqual([]);
    expect(reservedColumnRule(project({ resources: [{ ...drizzle, form: 'qtable' }] }))).toHaveLength(2);
  });
});

describe('id column rule', () => {
  it('allows one id column, or none', () => {
    expect(one(idColumnRule, {})).toEqual([]);
    expect(idColumnRule(project({ resources: [resource('x', { name: q.text() })] }))).toEqual([]);
  });

  it('rejects more than one id column', () => {
    const [d] = one(idColumnRule, { otherId: q.id() });
    expect(d).toMatchObject({ code: 'QB_VALIDATE_INVALID_OPTION', at: 'features.tickets.columns' });
    expect(d.message).toContain('id, otherId');
  });

  it('rejects an `id` column of another type when no q.id() exists', () => {
    expect(summary(idColumnRule(project({ resources: [resource('x', { id: q.text() })] })))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.x.columns.id',
    ]);
    expect(idColumnRule(project({ resources: [resource('x', { key: q.id(), id: q.text() })] }))).toEqual([]);
  });
});

describe('column default rule', () => {
  it('accepts defaults that fit', () => {
    expect(one(columnDefaultRule, {
      a: q.text().default('x'),
      b: q.integer().default(3),
      c: q.number().default(1.5),
      d: q.boolean().default(false),
      e: q.json().default([1, { a: 2 }]),
      f: q.timestamp().default('2026-05-13T10:00:00Z'),
      g: q.date().default('2026-05-13'),
      h: q.enum(['low', 'high']).default('low'),
      i: q.timestamp().defaultNow(),
      j: q.date().defaultNow(),
      k: q.text({ maxLength: 3 }).default('abc'),
      l: q.url().default('https://x'),
    })).toEqual([]);
  });

  it.each<[string, ColumnBuilder, string]>([
    ['enum value', q.enum(['low', 'high']).default('medium' as never), 'must be one of "low", "high", got "medium"'],
    ['text', q.text().default(3 as never), 'must be a string, got 3'],
    ['integer', q.integer().default(1.5), 'must be an integer, got 1.5'],
    ['number', q.number().default('1' as never), 'must be a number, got "1"'],
    ['boolean', q.boolean().default('true' as never), 'must be true or false, got "true"'],
    ['timestamp', q.timestamp().default('yesterday'), 'must be an ISO-8601 date-time string'],
    ['date', q.date().default('13/05/2026'), 'must be an ISO date string'],
    ['null', q.text().default(null as never), 'must be a string, got null'],
    ['defaultNow on text', q.text().defaultNow(), '.defaultNow() is only for timestamp and date columns'],
    [
      'both defaults',
      q.timestamp().defaultNow().default('2026-05-13T10:00:00Z'),
      'has both .default() and .defaultNow()',
    ],
    ['scope default', q.scope('owner').default('u1'), 'cannot have a default'],
    ['too long', q.text({ maxLength: 2 }).default('abc'), 'is longer than maxLength 2'],
    ['too short', q.text({ minLength: 2 }).default('a'), 'is shorter than minLength 2'],
    ['below min', q.integer({ min: 1 }).default(0), 'is below min 1'],
    ['above max', q.number({ max: 1 }).default(2), 'is above max 1'],
  ])('rejects %s', (_, column, message) => {
    const diagnostics = one(columnDefaultRule, { value: column });
    expect(summary(diagnostics)).toEqual(['QB_VALIDATE_INVALID_OPTION @ features.tickets.columns.value']);
    expect(diagnostics[0].message).toContain(message);
  });

  it('accepts epoch-millisecond defaults on Drizzle timestamp_ms columns', () => {
    const drizzle = resource(
      'legacy',
      { id: q.id(), at: q.timestamp().default(0 as never) },
      {},
      {
        form: 'drizzle',
        drizzle: {
          table: 'legacy',
          columns: {
            at: { sqlName: 'at', storage: 'timestamp_ms', primaryKey: false, autoIncrement: false, notNull: false },
          },
        },
      },
    );
    expect(columnDefaultRule(project({ resources: [drizzle] }))).toEqual([]);
  });
});

describe('column bounds rule', () => {
  const withSpec = (spec: Partial<ColumnSpec>) => {
    const r = scoped({});
    r.columns.value = { type: 'integer', ...spec };
    return columnBoundsRule(project({ resources: [r] }));
  };

  it('accepts sensible bounds, including negative numeric ones', () => {
    expect(
      one(columnBoundsRule, {
        a: q.text({ minLength: 0, maxLength: 10 }),
        b: q.integer({ min: -5, max: 5 }),
        c: q.number({ min: 0.5, max: 0.5 }),
      }),
    ).toEqual([]);
  });

  it.each<[string, Partial<ColumnSpec>, string]>([
    ['negative length', { type: 'text', minLength: -1 }, 'minLength must be a non-negative integer, got -1'],
    ['fractional length', { type: 'text', maxLength: 2.5 }, 'maxLength must be a non-negative integer, got 2.5'],
    ['fractional integer bound', { min: 0.5 }, 'min must be an integer on an integer column, got 0.5'],
    ['infinite bound', { type: 'number', max: Infinity }, 'max must be a finite number, got Infinity'],
    ['min above max', { min: 5, max: 1 }, 'min (5) is greater than max (1)'],
    [
      'minLength above maxLength',
      { type: 'text', minLength: 5, maxLength: 1 },
      'minLength (5) is greater than maxLength (1)',
    ],
  ])('rejects %s', (_, spec, message) => {
    const diagnostics = withSpec(spec);
    expect(summary(diagnostics)).toEqual(['QB_VALIDATE_INVALID_OPTION @ features.tickets.columns.value']);
    expect(diagnostics[0].message).toBe(`Column "value": ${message}`);
  });
});

describe('reference rule', () => {
  const customers = resource('customers', { id: q.id(), code: q.text(), organizationId: q.scope('organization') });
  const check = (target: string | (() => unknown)) =>
    referenceRule(project({ resources: [customers, scoped({ customerId: q.text().references(target) })] }));

  it('accepts existing features and columns, and skips thunks', () => {
    expect(check('customers')).toEqual([]);
    expect(check('customers.code')).toEqual([]);
    expect(check('customers.id')).toEqual([]);
    expect(check(() => 'anything')).toEqual([]);
    expect(
      referenceRule(
        project({ resources: [resource('a', { name: q.text() }), resource('b', { aId: q.references('a.id') })] }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'customer',
      'Column "customerId" references feature "customer", which does not exist',
      'Did you mean "customers"?',
    ],
    [
      'customers.cod',
      'Column "customerId" references "customers.cod", but "customers" has no column "cod"',
      'Did you mean "code"?',
    ],
    [
      'customers.code.x',
      'Column "customerId" references "customers.code.x", which is not "feature" or "feature.column"',
      'Example: .references("customers") or .references("customers.code")',
    ],
    [
      'zzzzzzzz',
      'Column "customerId" references feature "zzzzzzzz", which does not exist',
      'Features: customers, tickets',
    ],
  ])('rejects %s', (target, message, hint) => {
    const diagnostics = check(target);
    expect(diagnostics).toEqual([{
      code: 'QB_VALIDATE_UNKNOWN_REFERENCE',
      severity: 'error',
      message,
      hint,
      file: 'quickback/features/tickets/tickets.ts',
      at: 'features.tickets.columns.customerId',
    }]);
  });
});
