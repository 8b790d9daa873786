/**
 * @module emitters/runtime-bun
 * Bun entrypoint, env loading, package.json and tsconfig for `runtime: bun`.
 */
import type { Emitter, EmittedFile } from '../../compiler/emit/contract.js';
import { devScripts } from '../server-common/dev.js';
import { printEnv, printEnvExample } from '../server-common/print/env.js';
import { printPackageJson, printTsconfig } from '../server-common/print/package.js';
import { printBunServer, printBunTypes } from './print/server.js';

export const runtimeBunEmitter = {
  id: 'runtime-bun',
  applies: (model) => model.runtime.kind === 'bun',
  emit(model) {
    const file = (path: string, contents: string): EmittedFile => ({
      path,
      contents,
      ownership: 'compiler',
      emitter: 'runtime-bun',
    });
    const scripts = {
      ...devScripts(model),
      start: 'bun src/server.ts',
      'db:migrate': 'bun src/db/migrate.ts',
      typecheck: 'tsc --noEmit',
    };
    return [
      file('src/server.ts', printBunServer(model)),
      file('src/types/bun.d.ts', printBunTypes(model)),
      file('src/env.ts', printEnv(model)),
      file('.env.example', printEnvExample(model)),
      file('package.json', printPackageJson(model, scripts)),
      file('tsconfig.json', printTsconfig(model)),
    ];
  },
} satisfies Emitter;
