/**
 * @module quickback/ctx-crypto
 * `ctx.crypto` in action code (seed 003): explicit encryption under the caller's active
 * organization's key. Without `field`, a value is bound to the organization only (for values the
 * action keeps itself); with `{ feature, column, id }` it is bound like that column's values, so
 * a value from a partial selection (no id or organization column) can be opened.
 */
import type { Context } from 'hono';
import type { AppContext } from '../core/context.js';
import { envelopeFailure, keysOf } from './encryption.js';
import { decryptValue, encryptValue, keyVersionOf, type FieldContext } from './envelope.js';
import { apiError } from '../core/errors.js';
import type { QuickbackEnv } from '../core/types.js';

declare module '../core/context.js' {
  interface AppContext {
    /** Action handlers of apps with encrypted columns: encryption under the active organization's key. */
    crypto?: FieldCrypto;
  }
}

export interface FieldRef {
  feature: string;
  column: string;
  id: string | number;
}

export interface FieldCrypto {
  encrypt(value: string, field?: FieldRef): Promise<string>;
  decrypt(value: string, field?: FieldRef): Promise<string>;
  /**
   * Crypto-shredding of the active organization: deletes its data keys, so every value they
   * encrypted becomes unreadable for good (offboarding, erasure). Returns how many keys went.
   */
  shredOrganizationKeys(): Promise<number>;
}

export function fieldCrypto(c: Context<QuickbackEnv>, ctx: AppContext): FieldCrypto {
  const orgId = () => {
    if (!ctx.activeOrgId) throw apiError('ORG_REQUIRED', { hint: "ctx.crypto uses the active organization's key." });
    return ctx.activeOrgId;
  };
  const place = (field?: FieldRef): FieldContext => ({
    orgId: orgId(),
    table: field?.feature ?? '',
    column: field?.column ?? '',
    rowId: field ? String(field.id) : '',
  });
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw envelopeFailure(null, err);
    }
  };
  return {
    encrypt: (value, field) => guarded(async () => {
      const where = place(field);
      return encryptValue(await (await keysOf(c)).forWrite(where.orgId), value, where);
    }),
    decrypt: (value, field) => guarded(async () => {
      const where = place(field);
      return decryptValue(await (await keysOf(c)).forRead(where.orgId, keyVersionOf(value)), value, where);
    }),
    shredOrganizationKeys: async () => (await keysOf(c)).shred(orgId()),
  };
}
