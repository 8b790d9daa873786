/**
 * The conformance suites against the compiled Worker under workerd (miniflare 4.20260426.0):
 * runtime cloudflare + D1, the emitted migrations applied to local D1, real HTTP on 127.0.0.1,
 * Better Auth's own client signing users in.
 */
import { copyFixture } from '../helpers/project.js';
import { CLOUDFLARE, workerTarget } from '../helpers/worker.js';
import { crudConformance } from './crud.suite.js';
import { LIMITS_FILES, limitsConformance } from './limits.suite.js';
import { PIPELINE_FILES as pipelineFiles } from './pipeline-cast.js';
import { readConformance } from './read.suite.js';
import { writeConformance } from './write.suite.js';

crudConformance(
  'cloudflare worker + D1',
  () => workerTarget(copyFixture('helpdesk', 'cf-crud', { config: CLOUDFLARE })),
);
writeConformance(
  'cloudflare worker + D1',
  () => workerTarget(copyFixture('helpdesk', 'cf-write', { files: pipelineFiles, config: CLOUDFLARE })),
);
readConformance(
  'cloudflare worker + D1',
  () => workerTarget(copyFixture('helpdesk', 'cf-read', { files: pipelineFiles, config: CLOUDFLARE })),
);
limitsConformance(
  'cloudflare worker + D1',
  () => workerTarget(copyFixture('helpdesk', 'cf-limits', { files: LIMITS_FILES, config: CLOUDFLARE })),
);
