/**
 * @module emitters/runtime-node
 * Node.js entrypoint, env loading, package.json and tsconfig for `runtime: node`.
 */
import type { Emitter, EmittedFile } from '../../compiler/emit/contract.js';
import { devScripts } from '../server-common/dev.js';
import { printEnv, printEnvExample } from '../server-common/print/env.js';
import { printPackageJson, printTsconfig } from '../server-common/print/package.js';
import { printNodeServer } from './print/server.js';

export const runtimeNodeEmitter = {
  id: 'runtime-node',
  applies: (model) => model.runtime.kind === 'node',
  emit(model) {
    const file = (path: string, contents: string): EmittedFile => ({
      path,
      contents,
      ownership: 'compiler',
      emitter: 'runtime-node',
    });
    const scripts = {
      ...devScripts(model),
      start: 'tsx src/server.ts',
      'db:migrate': 'tsx src/db/migrate.ts',
      typecheck: 'tsc --noEmit',
    };
    return [
      file('src/server.ts', printNodeServer(model)),
      file('src/env.ts', printEnv(model)),
      file('.env.example', printEnvExample(model)),
      file('package.json', printPackageJson(model, scripts)),
      file('tsconfig.json', printTsconfig(model)),
    ];
  },
} satisfies Emitter;
