/**
 * @module compiler/validate
 * Stage 2 of the compiler: LoadedProject → Diagnostic[] (every problem, at once).
 */
export { validate } from './validate.js';
export { rules } from './rules/index.js';
export type { Rule } from './project.js';
export {
  providerCapabilities,
  providerOptionCapabilities,
  authPluginCapabilities,
  configCapabilities,
  resourceCapabilities,
  crudToggleCapabilities,
  featureCapabilities,
} from './capabilities.js';
export type { CapabilityEntry } from './capabilities.js';
