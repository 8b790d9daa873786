/**
 * Workers bindings (D1, KV) that can be made to stall, for dependency-fault tests under workerd.
 * Each named binding of the compiled Worker becomes a miniflare wrapped binding (`wrappedBindings`,
 * see node_modules/miniflare/README.md) over the real binding of the same id: every call first asks
 * a Node-side service binding, which answers at once while the binding is healthy and holds the
 * request while it is stalled (a backend that accepted the call and never answers), then goes on
 * to the real D1 or KV. Statement builders (D1 `prepare`, `bind`) stay synchronous; a D1 batch gets
 * the real statements back. Ending a stall lets the held calls finish late, as a network that
 * recovers would.
 */
import type { MiniflareOptions } from 'miniflare';
import type { Wrangler } from './worker.js';

const SCRIPT = 'quickback-stalled-bindings';

/** The wrapped binding: `env.NAME` is the binding wrapped, `env.GATE` the Node-side switch. */
const MODULE = `
const BUILDERS = new Set(["prepare", "bind"]);
export default function (env) {
  const real = env["REAL_" + env.NAME];
  const gate = () => env.GATE.fetch("http://gate/" + env.NAME).then((r) => r.arrayBuffer());
  const own = new WeakMap();
  const unwrap = (arg) => (Array.isArray(arg) ? arg.map((s) => own.get(s) ?? s) : arg);
  const wrap = (target) => {
    const proxy = new Proxy(target, {
      get(t, name) {
        const value = Reflect.get(t, name, t);
        if (typeof value !== "function" || name === "constructor") return value;
        if (BUILDERS.has(name)) return (...args) => wrap(value.apply(t, args));
        return async (...args) => { await gate(); return value.apply(t, args.map(unwrap)); };
      },
    });
    own.set(proxy, target);
    return proxy;
  };
  return wrap(real);
}
`;

export interface StalledBindings {
  /** Options for startWorker: the main Worker's D1 and KV bindings, the gated ones wrapped. */
  extra: Partial<MiniflareOptions>;
  /** The Worker implementing the wrapped bindings (after the main one). */
  worker: MiniflareOptions;
  /** Stalls these bindings from now on; every other one answers (and held calls of those finish). */
  stall(...names: string[]): void;
}

export function stalledBindings(wrangler: Wrangler, names: string[]): StalledBindings {
  let stalled = new Set<string>();
  const held = new Map<string, (() => void)[]>();
  const gate = (request: Request): Response | Promise<Response> => {
    const name = new URL(request.url).pathname.slice(1);
    if (!stalled.has(name)) return new Response(null, { status: 204 });
    return new Promise((resolve) =>
      held.set(name, [...(held.get(name) ?? []), () => resolve(new Response(null, { status: 204 }))])
    );
  };
  const d1 = (wrangler.d1_databases ?? []).map((d) => [d.binding, d.database_id] as const);
  const kv = (wrangler.kv_namespaces ?? []).map((k) => [k.binding, k.id] as const);
  const real = (list: (readonly [string, string])[], gated: boolean) =>
    Object.fromEntries(
      list.filter(([b]) => names.includes(b) === gated).map(([b, id]) => [gated ? `REAL_${b}` : b, id]),
    );
  return {
    extra: {
      d1Databases: real(d1, false),
      kvNamespaces: real(kv, false),
      wrappedBindings: Object.fromEntries(
        names.map((name) => [name, { scriptName: SCRIPT, bindings: { NAME: name } }]),
      ),
    } as Partial<MiniflareOptions>,
    worker: {
      name: SCRIPT,
      modules: true,
      script: MODULE,
      d1Databases: real(d1, true),
      kvNamespaces: real(kv, true),
      serviceBindings: { GATE: gate },
    } as MiniflareOptions,
    stall(...next: string[]) {
      stalled = new Set(next);
      for (const [name, waiting] of held)
        if (!stalled.has(name)) {
          held.delete(name);
          for (const release of waiting) release();
        }
    },
  };
}
