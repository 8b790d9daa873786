/**
 * @module emitters/hono
 * Routes, resources and app wiring of the generated Hono API, and the user-owned handler seeds
 * of actions and inbound webhooks (base `project`).
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { emitHono, handlerSeeds } from './emit.js';

export const honoEmitter = {
  id: 'hono',
  applies: () => true,
  emit: (model, context) => [...emitHono(model, context.memo, context.migrations), ...handlerSeeds(model)],
} satisfies Emitter;
