/**
 * @module emitters/hono
 * Routes, resources and app wiring of the generated Hono API.
 */
import type { Emitter } from '../contract.js';
import { emitHono } from './emit.js';

export const honoEmitter = {
  id: 'hono',
  applies: () => true,
  emit: (model, context) => emitHono(model, context.memo, context.migrations),
} satisfies Emitter;
