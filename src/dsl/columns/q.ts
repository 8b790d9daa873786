/**
 * @module dsl/columns/q
 * `q`: the column builders of the definition DSL.
 * @example
 * columns: {
 *   id: q.id(),
 *   title: q.text({ maxLength: 140 }).required().searchable(),
 *   priority: q.enum(["low", "normal", "urgent"]).default("normal"),
 *   organizationId: q.scope("organization"),
 * }
 */
import { brand, nearest, type Branded } from '../kind.js';
import { ColumnBuilder, guardColumn } from './builder.js';
import { scopeKinds, type ColumnProblem, type ColumnSpec, type OnDelete, type ScopeKind } from './spec.js';

export interface TextOptions {
  maxLength?: number;
  minLength?: number;
}
export interface NumberOptions {
  min?: number;
  max?: number;
}
export type QTable = Branded<'qtable', { name: string; columns: Record<string, ColumnBuilder> }>;

function column<T>(spec: ColumnSpec): ColumnBuilder<T> {
  return guardColumn(new ColumnBuilder<T>(spec));
}

function problem(
  spec: ColumnSpec,
  message: string,
  hint: string,
  code: ColumnProblem['code'] = 'QB_DSL_INVALID_ARGUMENT',
): ColumnBuilder<never> {
  return column<never>({ ...spec, problems: [{ code, message, hint }] });
}

function text(type: 'text' | 'url' | 'email', options: TextOptions | undefined): ColumnBuilder<string> {
  if (options === undefined) return column<string>({ type });
  if (typeof options !== 'object' || options === null) {
    return problem({ type }, `q.${type}() takes an options object`, `Example: q.${type}({ maxLength: 140 })`);
  }
  return column<string>({ type, maxLength: options.maxLength, minLength: options.minLength });
}

const builders = {
  /** Primary key; generated per `generateId` (or sent by the client when it is `false`). */
  id: () => column<string>({ type: 'id' }),
  text: (options?: TextOptions) => text('text', options),
  integer: (options?: NumberOptions) => column<number>({ type: 'integer', min: options?.min, max: options?.max }),
  int: (options?: NumberOptions) => column<number>({ type: 'integer', min: options?.min, max: options?.max }),
  number: (options?: NumberOptions) => column<number>({ type: 'number', min: options?.min, max: options?.max }),
  real: (options?: NumberOptions) => column<number>({ type: 'number', min: options?.min, max: options?.max }),
  boolean: () => column<boolean>({ type: 'boolean' }),
  bool: () => column<boolean>({ type: 'boolean' }),
  /** ISO-8601 date-time (`2026-05-13T10:00:00.000Z`). */
  timestamp: () => column<string>({ type: 'timestamp' }),
  /** Calendar date (`2026-05-13`). */
  date: () => column<string>({ type: 'date' }),
  enum: <const V extends readonly [string, ...string[]]>(values: V) => {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
      return problem(
        { type: 'enum', enumValues: [] },
        'q.enum() takes a non-empty array of strings',
        'Example: q.enum(["low", "high"])',
      );
    }
    return column<V[number]>({ type: 'enum', enumValues: [...values] });
  },
  json: <T = unknown>() => column<T>({ type: 'json' }),
  url: (options?: TextOptions) => text('url', options),
  email: (options?: TextOptions) => text('email', options),
  /** Tenant or owner column: system-managed, stamped from the request context, drives the firewall. */
  scope: (kind: ScopeKind) => {
    if (!scopeKinds.includes(kind)) {
      const guess = nearest(String(kind), scopeKinds);
      return problem(
        { type: 'scope' },
        `q.scope("${String(kind)}") is not a scope kind`,
        guess ? `Did you mean q.scope("${guess}")?` : `Use one of: ${scopeKinds.join(', ')}`,
      );
    }
    return column<string>({ type: 'scope', scope: kind });
  },
  /** Text foreign key to another feature's id. */
  references: (target: string, options: { onDelete?: OnDelete } = {}) =>
    column<string>({ type: 'text', references: { target, onDelete: options.onDelete } }),
  /** Table constructor for the two-export form: `export const t = q.table(...)` + `defineTable(t, {...})`. */
  table: (name: string, columns: Record<string, ColumnBuilder>): QTable => brand('qtable', { name, columns }),
};

export type Q = typeof builders;
const builderNames = Object.keys(builders);

/**
 * The column builders. An unknown builder (`q.txet()`) yields a column that carries the mistake,
 * so the compiler reports it at its path (`features.x.columns.title`) with the nearest valid name.
 */
export const q: Q = new Proxy(builders, {
  get(target, property) {
    if (typeof property === 'symbol' || property in target) return Reflect.get(target, property);
    const guess = nearest(property, builderNames);
    return () =>
      problem(
        { type: 'text' },
        `q.${property}() is not a column type`,
        guess ? `Did you mean q.${guess}()?` : `Column types: ${builderNames.join(', ')}`,
        'QB_DSL_UNKNOWN_COLUMN_TYPE',
      );
  },
});
