/**
 * @module dsl/columns/builder
 * ColumnBuilder: an immutable, chainable column description. Every modifier returns a new builder;
 * `toSpec()` returns plain data. A mistake (unknown modifier, bad argument) does not throw: it is
 * recorded on the builder so the compiler can report it with the column's path, together with
 * every other problem in the project.
 */
import { brand, KIND, nearest } from '../kind.js';
import { filterOperators, type ColumnProblem, type ColumnSpec, type FilterOperator, type OnDelete } from './spec.js';

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

  /** @internal records a problem and keeps the chain going. */
  withProblem(problem: ColumnProblem): ColumnBuilder<T> {
    return this.#with({ problems: [...(this.#spec.problems ?? []), problem] });
  }

  /** The value must be present on create and may not be null. */
  required(): ColumnBuilder<T> {
    return this.#with({ required: true });
  }
  /** The value may be omitted or null. */
  optional(): ColumnBuilder<T> {
    return this.#with({ required: false });
  }
  /** Default used when a create body omits the field (makes it optional on create). */
  default(value: T): ColumnBuilder<T> {
    return this.#with({ default: { value } });
  }
  /** Default to the current time (timestamp and date columns). */
  defaultNow(): ColumnBuilder<T> {
    return this.#with({ defaultNow: true });
  }
  /** Adds a unique index on this column. */
  unique(): ColumnBuilder<T> {
    return this.#with({ unique: true });
  }
  /** Adds a (non-unique) index on this column. */
  index(): ColumnBuilder<T> {
    return this.#with({ index: true });
  }
  /** Lets list routes filter on this column; without operators every operator is allowed. */
  filterable(...ops: FilterOperator[]): ColumnBuilder<T> {
    const bad = ops.find((op) => !filterOperators.includes(op));
    if (bad !== undefined) {
      const guess = nearest(String(bad), filterOperators);
      return this.withProblem({
        code: 'QB_DSL_INVALID_ARGUMENT',
        message: `"${String(bad)}" is not a filter operator`,
        hint: guess ? `Did you mean "${guess}"?` : `Use one of: ${filterOperators.join(', ')}`,
      });
    }
    return this.#with({ filterable: ops.length > 0 ? ops : true });
  }
  /** Includes this column in `?search=` on list routes. */
  searchable(): ColumnBuilder<T> {
    return this.#with({ searchable: true });
  }
  /** Encrypts this column at rest (field-level envelope encryption). */
  encrypted(): ColumnBuilder<T> {
    return this.#with({ encrypted: true });
  }
  /**
   * Foreign key to another feature: `"customers"` (its id) or `"customers.code"`.
   * @example q.text().references("customers", { onDelete: "cascade" })
   */
  references(target: string | (() => unknown), options: { onDelete?: OnDelete } = {}): ColumnBuilder<T> {
    return this.#with({ references: { target, onDelete: options?.onDelete } });
  }

  /** @internal plain data for the compiler. */
  toSpec(): ColumnSpec {
    return { ...this.#spec };
  }
}

const modifierNames = Object.getOwnPropertyNames(ColumnBuilder.prototype).filter((name) =>
  name !== 'constructor' && name !== 'withProblem'
);

/** Wraps a builder so that a typo such as `.requried()` is recorded with the nearest modifier as hint. */
export function guardColumn<T>(builder: ColumnBuilder<T>): ColumnBuilder<T> {
  return new Proxy(builder, {
    get(target, property) {
      if (typeof property === 'symbol' || property in target) {
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      if (property === 'then' || property === 'toJSON') return undefined;
      const guess = nearest(property, modifierNames);
      const problem: ColumnProblem = {
        code: 'QB_DSL_UNKNOWN_MODIFIER',
        message: `.${property}() is not a column modifier`,
        hint: guess ? `Did you mean .${guess}()?` : `Modifiers: ${modifierNames.join(', ')}`,
      };
      return () => target.withProblem(problem);
    },
  });
}

export function isColumnBuilder(value: unknown): value is ColumnBuilder {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[KIND] === 'column';
}
