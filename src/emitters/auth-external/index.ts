/**
 * @module emitters/auth-external
 * `src/auth/index.ts` for `defineAuth("external")`: sessions, organization roles and teams come
 * from the auth Worker bound as a service (runtime lib/quickback/auth/providers/external-auth.ts).
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { printExternalAuth } from './print/auth.js';

export const authExternalEmitter = {
  id: 'auth-external',
  applies: (model) => model.auth.provider === 'external' && model.cloudflare !== undefined,
  emit: (model) => [{
    path: 'src/auth/index.ts',
    contents: printExternalAuth(model),
    ownership: 'compiler',
    emitter: 'auth-external',
  }],
} satisfies Emitter;
