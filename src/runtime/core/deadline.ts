/**
 * @module quickback/deadline
 * How long a request waits on a dependency (Redis, Workers KV, D1, PostgreSQL) before it answers
 * 503 instead of hanging (issue #31): `QUICKBACK_DEPENDENCY_TIMEOUT_MS`, default 2000. A stalled
 * server (a connection accepted that never answers) then costs a request at most that long per
 * call, and the next request after the server is back works (no restart).
 */

export const DEPENDENCY_TIMEOUT_ENV = 'QUICKBACK_DEPENDENCY_TIMEOUT_MS';
export const DEFAULT_DEPENDENCY_TIMEOUT_MS = 2000;

/** The bound from the environment: a positive whole number of milliseconds, else the default. */
export function dependencyTimeout(env: { QUICKBACK_DEPENDENCY_TIMEOUT_MS?: unknown } | undefined): number {
  const raw = env?.QUICKBACK_DEPENDENCY_TIMEOUT_MS;
  const ms = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return ms > 0 ? ms : DEFAULT_DEPENDENCY_TIMEOUT_MS;
}

/**
 * A dependency that did not answer in time. `ETIMEDOUT`, as a socket timeout says it (db-errors.ts
 * maps it to 503). `setting` names the bound that passed (QUICKBACK_SHUTDOWN_TIMEOUT_MS for shutdown.ts).
 */
export class DeadlineExceeded extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(what: string, ms: number, setting: string = DEPENDENCY_TIMEOUT_ENV) {
    super(`${what} did not answer within ${ms} ms (${setting})`);
    this.name = 'DeadlineExceeded';
  }
}

/** `work`, or a DeadlineExceeded naming `setting` after `ms` (the work itself is left to finish or fail on its own). */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  setting: string = DEPENDENCY_TIMEOUT_ENV,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, ms, setting)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Calls of these methods on `target` bounded by `ms`; everything else passes through (Workers bindings are native objects: `this` stays the binding). */
function bound<T extends object>(
  target: T,
  ms: number,
  what: string,
  methods: ReadonlySet<PropertyKey>,
  wrap: (name: PropertyKey, call: (...args: unknown[]) => unknown) => unknown = () => undefined,
): T {
  return new Proxy(target, {
    get(t, name) {
      const value = Reflect.get(t, name, t) as unknown;
      if (typeof value !== 'function' || name === 'constructor') return value;
      const call = (...args: unknown[]) => value.apply(t, args);
      return wrap(name, call)
        ?? (methods.has(name)
          ? (...args: unknown[]) => withDeadline(Promise.resolve(call(...args)), ms, what)
          : value.bind(t));
    },
  });
}

/**
 * A D1 binding whose statements (all, run, raw, first) and batches are bounded by `ms`. `bind`
 * keeps the bound; a batch gets the binding's own statements back, as D1 requires.
 */
export function boundedD1<T extends object>(db: T, ms: number): T {
  const own = new WeakMap<object, object>();
  const runs = new Set<PropertyKey>(['all', 'run', 'raw', 'first']);
  const statement = (s: object): object => {
    const proxy = bound(
      s,
      ms,
      'D1',
      runs,
      (name, call) => (name === 'bind' ? (...args: unknown[]) => statement(call(...args) as object) : undefined),
    );
    own.set(proxy, s);
    return proxy;
  };
  return bound(db, ms, 'D1', new Set(['exec', 'dump']), (name, call) => {
    if (name === 'prepare') return (sql: string) => statement(call(sql) as object);
    if (name === 'batch')
      return (statements: object[]) =>
        withDeadline(Promise.resolve(call(statements.map((s) => own.get(s) ?? s))), ms, 'D1');
    return undefined;
  });
}
