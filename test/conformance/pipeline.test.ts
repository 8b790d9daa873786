/** The pipeline conformance suite, in-process through app.request(), on both SQLite drivers. */
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { pipelineConformance, STANDUPS_FEATURE, TASKS_FEATURE } from './pipeline.suite.js';

const files = { 'quickback/features/tasks/tasks.ts': TASKS_FEATURE, 'quickback/features/standups/standups.ts': STANDUPS_FEATURE };

pipelineConformance('node + better-sqlite3 (app.request)', () => inProcessTarget(copyFixture('helpdesk', 'pipe-bsq', { files }), 'better-sqlite3'));

pipelineConformance('node + libsql (app.request)', () =>
  inProcessTarget(copyFixture('helpdesk', 'pipe-libsql', { files, config: [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"']] }), 'libsql'));
