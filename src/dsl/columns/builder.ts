/**
 * @module dsl/columns/builder
 * ColumnBuilder: an immutable, chainable column description. Every modifier returns a new builder;
 * `toSpec()` returns plain data. Unknown modifiers throw a DslError with a "did you mean" hint.
 */
import { brand, DslError, KIND, nearest } from '../kind.js';
import { filterOperators, type ColumnSpec, type FilterOperator, type OnDelete } from './spec.js';

export class ColumnBuilder<T = unknown> {
  /** Phantom field that carries the column's value type for inference. */
  declare readonly $type: T;
  readonly #spec: ColumnSpec;

  constructor(spec: ColumnSpec) {
    this.#spec = spec;
    brand('column', this);
  }

  #with(patch: Partial<ColumnSpec>): ColumnBuilder<T> {
    return guardColumn(new ColumnBuilder<T>({ ...this.#spec, ...patch }));
  }

  /** The value must be present on create and may not be null. */
  required(): ColumnBuilder<T> { return this.#with({ required: true }); }
  /** The value may be omitted or null. */
  optional(): ColumnBuilder<T> { return this.#with({ required: false }); }
  /** Default used when a create body omits the field (makes it optional on create). */
  default(value: T): ColumnBuilder<T> { return this.#with({ default: { value } }); }
  /** Default to the current time (timestamp and date columns). */
  defaultNow(): ColumnBuilder<T> { return this.#with({ defaultNow: true }); }
  /** Adds a unique index on this column. */
  unique(): ColumnBuilder<T> { return this.#with({ unique: true }); }
  /** Adds a (non-unique) index on this column. */
  index(): ColumnBuilder<T> { return this.#with({ index: true }); }
  /** Lets list routes filter on this column; without operators every operator is allowed. */
  filterable(...ops: FilterOperator[]): ColumnBuilder<T> {
    for (const op of ops) {
      if (!filterOperators.includes(op)) {
        const guess = nearest(String(op), filterOperators);
        throw new DslError('QB_DSL_INVALID_ARGUMENT', `"${String(op)}" is not a filter operator`, guess ? `Did you mean "${guess}"?` : `Use one of: ${filterOperators.join(', ')}`);
      }
    }
    return this.#with({ filterable: ops.length > 0 ? ops : true });
  }
  /** Includes this column in `?search=` on list routes. */
  searchable(): ColumnBuilder<T> { return this.#with({ searchable: true }); }
  /** Encrypts this column at rest (field-level envelope encryption). */
  encrypted(): ColumnBuilder<T> { return this.#with({ encrypted: true }); }
  /**
   * Foreign key to another feature: `"customers"` (its id) or `"customers.code"`.
   * @example q.text().references("customers", { onDelete: "cascade" })
   */
  references(target: string | (() => unknown), options: { onDelete?: OnDelete } = {}): ColumnBuilder<T> {
    return this.#with({ references: { target, onDelete: options.onDelete } });
  }

  /** @internal plain data for the compiler. */
  toSpec(): ColumnSpec {
    return { ...this.#spec };
  }
}

const modifierNames = Object.getOwnPropertyNames(ColumnBuilder.prototype).filter((name) => name !== 'constructor');

/** Wraps a builder so that a typo such as `.requried()` names the nearest modifier. */
export function guardColumn<T>(builder: ColumnBuilder<T>): ColumnBuilder<T> {
  return new Proxy(builder, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property in target) {
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      if (property === 'then' || property === 'toJSON') return undefined;
      void receiver;
      const guess = nearest(property, modifierNames);
      throw new DslError('QB_DSL_UNKNOWN_MODIFIER', `.${property}() is not a column modifier`, guess ? `Did you mean .${guess}()?` : `Modifiers: ${modifierNames.join(', ')}`);
    },
  });
}

export function isColumnBuilder(value: unknown): value is ColumnBuilder {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[KIND] === 'column';
}
