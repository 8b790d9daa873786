/**
 * @module quickback/data-keys
 * Per-organization data keys (seed 003) over the `org_data_keys` table: created lazily on an
 * organization's first encrypted write (concurrent first writes: one insert wins, the others
 * re-read it), unwrapped at most once per organization and version per cache lifetime, re-wrapped
 * under the current KEK when found under `ENCRYPTION_KEK_PREVIOUS` (KEK rotation leaves data rows
 * alone), rotated to a new version before the nonce budget runs out, and shredded on request.
 * Encryptions are counted in blocks reserved from the table (one UPDATE per block, not per write).
 */
import {
  createWrappedDek,
  EnvelopeError,
  MESSAGES_PER_DEK,
  rewrapDek,
  unwrapDek,
  type Dek,
  type Kek,
} from './envelope.js';

export interface DataKeyRow {
  orgId: string;
  version: number;
  wrappedKey: string;
  messages: number;
}

/** The table, as the app's database gives it (emitted per dialect). */
export interface DataKeyStore {
  latest(orgId: string): Promise<DataKeyRow | null>;
  get(orgId: string, version: number): Promise<DataKeyRow | null>;
  /** false when the row exists already (another writer created it first). */
  insert(row: DataKeyRow): Promise<boolean>;
  /** Adds `count` to the row's message counter and returns the new total. */
  reserve(orgId: string, version: number, count: number): Promise<number>;
  rewrap(orgId: string, version: number, wrappedKey: string): Promise<void>;
  all(orgId?: string): Promise<DataKeyRow[]>;
  /** Deletes every version of the organization's key; returns how many rows went. */
  remove(orgId: string): Promise<number>;
}

export interface DataKeyOptions {
  /** How long an unwrapped DEK stays in memory (default 5 minutes). */
  cacheMs?: number;
  /** Encryptions reserved per UPDATE (default 1024). */
  block?: number;
  /** The nonce budget per DEK (default MESSAGES_PER_DEK; tests lower it). */
  budget?: number;
  now?: () => number;
}

/** The unwrap in flight or done: concurrent readers of a cold key share one unwrap. */
interface Cached {
  dek: Promise<Dek>;
  until: number;
  ready?: Dek;
}

/** Unwraps by every DataKeys of this process (what `npm run bench:encryption` reports). */
export const dataKeyStats = { unwraps: 0 };
interface Block {
  version: number;
  left: number;
}

export class DataKeys {
  /** DEK unwraps performed (the bench checks ≤ 1 per organization per cache lifetime). */
  unwraps = 0;
  readonly #cache = new Map<string, Cached>();
  readonly #blocks = new Map<string, Block>();
  readonly #reserving = new Map<string, Promise<void>>();
  readonly #cacheMs: number;
  readonly #block: number;
  readonly #budget: number;
  readonly #now: () => number;

  /** `keks[0]` is the current KEK (ENCRYPTION_KEK); the rest are previous ones, read-only. */
  constructor(
    private readonly store: DataKeyStore,
    private readonly keks: readonly Kek[],
    options: DataKeyOptions = {},
  ) {
    if (keks.length === 0) throw new EnvelopeError('unknown-key', 'no ENCRYPTION_KEK');
    this.#cacheMs = options.cacheMs ?? 300_000;
    this.#block = Math.max(1, options.block ?? 1024);
    this.#budget = options.budget ?? MESSAGES_PER_DEK;
    this.#now = options.now ?? Date.now;
  }

  /** The DEK that encrypts the organization's next value: created on first use, rotated when its budget is spent. */
  async forWrite(orgId: string): Promise<Dek> {
    for (;;) {
      const block = this.#blocks.get(orgId);
      if (block && block.left > 0) {
        block.left--;
        return this.forRead(orgId, block.version);
      }
      // One reservation per organization at a time: concurrent writers (a batch of 100) wait for it.
      let pending = this.#reserving.get(orgId);
      if (!pending) {
        pending = this.#reserve(orgId).finally(() => this.#reserving.delete(orgId));
        this.#reserving.set(orgId, pending);
      }
      await pending;
    }
  }

  /** Reserves the next block of encryptions (creating or rotating the key as needed). */
  async #reserve(orgId: string): Promise<void> {
    let row = (await this.store.latest(orgId)) ?? (await this.#create(orgId, 1));
    let total = await this.store.reserve(orgId, row.version, this.#block);
    if (total > this.#budget) {
      row = await this.#create(orgId, row.version + 1);
      total = await this.store.reserve(orgId, row.version, this.#block);
    }
    this.#blocks.set(orgId, { version: row.version, left: this.#block });
  }

  /** The version new values of the organization get, without creating a key (null: it has none, or it was shredded). */
  async currentVersion(orgId: string): Promise<number | null> {
    const block = this.#blocks.get(orgId);
    if (block && block.left > 0) return block.version;
    return (await this.store.latest(orgId))?.version ?? null;
  }

  /** The DEK of `version` (as a stored value names it); shredded or missing keys are an EnvelopeError. */
  forRead(orgId: string, version: number): Promise<Dek> {
    const id = `${orgId}\u0000${version}`;
    const hit = this.#cache.get(id);
    if (hit && hit.until > this.#now()) return hit.dek;
    const dek = this.#unwrap(orgId, version);
    const entry: Cached = { dek, until: this.#now() + this.#cacheMs };
    this.#cache.set(id, entry);
    dek.then((ready) => {
      entry.ready = ready;
    }, () => {
      if (this.#cache.get(id) === entry) this.#cache.delete(id);
    });
    return dek;
  }

  /** The DEK when it is cached and unwrapped already (the synchronous read path), else undefined. */
  peek(orgId: string, version: number): Dek | undefined {
    const hit = this.#cache.get(`${orgId}\u0000${version}`);
    return hit?.ready && hit.until > this.#now() ? hit.ready : undefined;
  }

  async #unwrap(orgId: string, version: number): Promise<Dek> {
    const row = await this.store.get(orgId, version);
    if (!row) throw new EnvelopeError('missing-key', 'the organization has no data key of this version (shredded?)');
    const { dek, kek, raw } = await unwrapDek(this.keks, row.wrappedKey, orgId, version);
    this.unwraps++;
    dataKeyStats.unwraps++;
    // Found under a previous KEK: re-wrap under the current one, so the old KEK can be retired.
    if (kek.id !== this.keks[0].id)
      await this.store.rewrap(orgId, version, await rewrapDek(this.keks[0], raw, orgId, version));
    raw.fill(0);
    return dek;
  }

  /** `quickback keys rotate`: every key (or one organization's) re-wrapped under the current KEK; returns how many changed. */
  async rewrapAll(orgId?: string): Promise<number> {
    let changed = 0;
    for (const row of await this.store.all(orgId)) {
      if (row.wrappedKey.split(':')[2] === this.keks[0].id) continue;
      const { raw } = await unwrapDek(this.keks, row.wrappedKey, row.orgId, row.version);
      await this.store.rewrap(row.orgId, row.version, await rewrapDek(this.keks[0], raw, row.orgId, row.version));
      raw.fill(0);
      changed++;
    }
    return changed;
  }

  /** Crypto-shredding: the organization's keys are deleted, and with them every value they encrypted. */
  async shred(orgId: string): Promise<number> {
    for (const id of this.#cache.keys()) if (id.startsWith(`${orgId}\u0000`)) this.#cache.delete(id);
    this.#blocks.delete(orgId);
    return this.store.remove(orgId);
  }

  /** Inserts a new version; if another writer got there first, its row is the one to use. */
  async #create(orgId: string, version: number): Promise<DataKeyRow> {
    const { wrapped } = await createWrappedDek(this.keks[0], orgId, version);
    await this.store.insert({ orgId, version, wrappedKey: wrapped, messages: 0 });
    const row = await this.store.get(orgId, version);
    if (!row) throw new EnvelopeError('missing-key', 'the data key vanished while it was created');
    return row;
  }
}
