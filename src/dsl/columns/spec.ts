/**
 * @module dsl/columns/spec
 * The plain-data description of a column that every `q.*` builder produces (`toSpec()`).
 */
export const columnTypes = [
  'id',
  'text',
  'integer',
  'number',
  'boolean',
  'timestamp',
  'date',
  'enum',
  'json',
  'url',
  'email',
  'scope',
] as const;
export type ColumnType = (typeof columnTypes)[number];

export const scopeKinds = ['organization', 'owner', 'user', 'team'] as const;
export type ScopeKind = (typeof scopeKinds)[number];

export const filterOperators = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'isNull', 'between'] as const;
export type FilterOperator = (typeof filterOperators)[number];

export type OnDelete = 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action';

export interface ReferenceSpec {
  /** `"features"` or `"features.column"`, or a thunk returning a Drizzle column (defineTable path). */
  target: string | (() => unknown);
  onDelete?: OnDelete;
}

export interface ColumnSpec {
  type: ColumnType;
  enumValues?: readonly string[];
  scope?: ScopeKind;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  /** true: `.required()`; false: `.optional()`; undefined: not said (optional). */
  required?: boolean;
  default?: { value: unknown };
  defaultNow?: boolean;
  unique?: boolean;
  index?: boolean;
  filterable?: readonly FilterOperator[] | true;
  searchable?: boolean;
  encrypted?: boolean;
  references?: ReferenceSpec;
  /** Mistakes recorded while the definition ran (`q.txet()`, `.requried()`); load reports them with the column's path. */
  problems?: readonly ColumnProblem[];
}

export interface ColumnProblem {
  code: 'QB_DSL_UNKNOWN_COLUMN_TYPE' | 'QB_DSL_UNKNOWN_MODIFIER' | 'QB_DSL_INVALID_ARGUMENT';
  message: string;
  hint?: string;
}
