/**
 * @module compiler/write
 * Stage 5, the only stage that changes the disk: plan the write against the disk and the
 * manifest (planWrite), show it (renderDiff, summarize), then carry it out (applyPlan).
 */
export { applyPlan, type ApplyResult } from './apply.js';
export { nodeFs, type WriteFs } from './fs.js';
export { parseManifest, readManifest, serializeManifest, type Manifest, type ManifestEntry } from './manifest.js';
export { MANIFEST_PATH, sha256 } from './paths.js';
export { planWrite, type ChangeAction, type FileChange, type PlanWriteOptions, type WritePlan } from './plan.js';
export { renderChangesDiff, renderDiff, summarize, type WriteSummary } from './report.js';
export { writeCache } from './cache.js';
export { recordOutputs } from './disk-state.js';
export { commitTree, revertTree } from './commit-tree.js';
export { acquireLock, describeHolder, generatorWaitMs, LOCK_PATH, type LockHolder, type ProjectLock } from './lock.js';
