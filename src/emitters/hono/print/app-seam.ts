/**
 * @module emitters/hono/print/app-seam
 * The owner's seam: `quickback/app.ts` (seeded when missing, then the owner's), whose default export
 * `extend(app)` the generated `src/index.ts` hands to createQuickbackApp; and `#quickback`, the one
 * specifier the owner's code imports the runtime by (the app's package.json `imports` entry, from
 * server-common/print/package.ts, points at the runtime's index: src/runtime/index.ts). Generated
 * code inside the output folder imports `#quickback` too (print-utils.ts runtimeImport); what the
 * compiler writes outside it (the seeds) uses quickbackSpecifier.
 */
import path from 'node:path';
import type { AppModel } from '../../../compiler/model/ir.js';
import { importPath, RUNTIME_SPECIFIER } from '../../print-utils.js';

/** The seam, relative to the project root (beside the definitions, like the handlers). */
export const SEAM = 'quickback/app.ts';

/**
 * How a file of the owner's (project-relative) imports the runtime: `#quickback`, resolved by the
 * app's package.json; a relative path when the app lives in another folder (`build.outputDir`),
 * whose package.json the project's files do not see.
 */
export function quickbackSpecifier(model: AppModel, fromFile: string): string {
  const outDir = path.posix.normalize(model.build.outputDir);
  return outDir === '.'
    ? RUNTIME_SPECIFIER
    : importPath(fromFile, path.posix.join(outDir, 'src/lib/quickback/index.ts'));
}

/** The import of the seam in src/index.ts. */
export function seamImport(model: AppModel): string {
  return `import extend from ${
    JSON.stringify(importPath(path.posix.join(model.build.outputDir, 'src/index.ts'), SEAM))
  };`;
}

/** The seed: a commented example route (joined by hand: `lines` drops the blank line after the import). */
export function printSeamSeed(model: AppModel): string {
  return [
    '/**',
    ' * Your code in the generated app. This file is yours: the compiler never overwrites it. src/index.ts',
    ' * imports it, so when it is missing the next compile writes this example back. `extend` receives',
    ' * the Hono app after the generated routes are mounted and before the error handler, so what you add',
    ' * here runs behind the same CORS, body limits and error envelope, and under /api/* the same auth',
    ' * chain: `c.get("ctx")` is the caller (see AppContext). Throw apiError(code) for the envelope.',
    ' */',
    `import { apiError, type QuickbackApp } from ${JSON.stringify(quickbackSpecifier(model, SEAM))};`,
    '',
    'export default function extend(app: QuickbackApp): void {',
    '  // An example: the signed-in user, or 401 AUTH_MISSING.',
    '  app.get("/api/v1/me", (c) => {',
    '    const ctx = c.get("ctx");',
    '    if (!ctx.authenticated) throw apiError("AUTH_MISSING", { hint: "Sign in first: POST /auth/v1/sign-in/email" });',
    '    return c.json({ userId: ctx.userId, user: ctx.user });',
    '  });',
    '}',
  ].join('\n') + '\n';
}
