/**
 * @module compiler/cache/memo
 * The watch process's in-memory reuse of emitter work (see EmitMemo in compiler/emit/contract.ts) and
 * of output hashes. A key is the scope plus the sha256 of each dependency's JSON, computed once
 * per object per compile, so a feature model shared by several emitters is serialised once.
 * Only entries used by the last successful compile are kept: memory stays proportional to the
 * project, and nothing stale can be returned, since keys are content hashes.
 */
import type { EmitMemo } from '../emit/contract.js';
import { sha256 } from '../../shared/hash.js';

export class CompileMemo implements EmitMemo {
  private previous = new Map<string, unknown>();
  private current = new Map<string, unknown>();
  private keys = new WeakMap<object, string>();
  private previousHashes = new Map<string, string>();
  private currentHashes = new Map<string, string>();
  /** Entries reused / computed in the current compile. */
  reused = 0;
  computed = 0;

  /** Call before each compile. */
  begin(): void {
    this.current = new Map();
    this.currentHashes = new Map();
    this.keys = new WeakMap();
    this.reused = 0;
    this.computed = 0;
  }

  /** Call after a successful compile: what it used becomes what the next one may reuse. */
  commit(): void {
    this.previous = this.current;
    this.previousHashes = this.currentHashes;
  }

  private depKey(dep: unknown): string {
    if (typeof dep !== 'object' || dep === null) return JSON.stringify(dep) ?? 'undefined';
    let key = this.keys.get(dep);
    if (key === undefined) {
      key = sha256(JSON.stringify(dep));
      this.keys.set(dep, key);
    }
    return key;
  }

  use<T>(scope: string, deps: readonly unknown[], compute: () => T): T {
    const key = `${scope}\u0000${deps.map((d) => this.depKey(d)).join('\u0000')}`;
    if (this.current.has(key)) return this.current.get(key) as T;
    const hit = this.previous.has(key);
    const value = hit ? (this.previous.get(key) as T) : compute();
    if (hit) this.reused += 1;
    else this.computed += 1;
    this.current.set(key, value);
    return value;
  }

  /** sha256 of output contents; a string reused from the memo hashes in O(1) the second time. */
  readonly hash = (contents: string): string => {
    let hash = this.currentHashes.get(contents) ?? this.previousHashes.get(contents);
    if (hash === undefined) hash = sha256(contents);
    this.currentHashes.set(contents, hash);
    return hash;
  };
}
