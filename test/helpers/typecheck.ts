/**
 * `tsc --noEmit --strict` over a project's definitions (quickback/**), which the generated app's
 * own tsconfig leaves out: `@quickback/compiler` maps to this repo's DSL, the rest resolves as a
 * bundler would (extensionless relative imports, zod from this repo).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from './project.js';

export function typecheckDefinitions(root: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'qb-defs-tsc-'));
  const config = path.join(dir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.join(REPO, 'node_modules', '@types')],
        allowImportingTsExtensions: true,
        paths: {
          '@quickback/compiler': [path.join(REPO, 'src', 'dsl', 'index.ts')],
          '*': [path.join(REPO, 'node_modules', '*')],
        },
      },
      include: [path.join(root, 'quickback', '**', '*.ts')],
    }),
  );
  try {
    return execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    throw new Error(`tsc failed over ${root}/quickback:\n${stdout}${stderr}`);
  }
}
