/** `npm run demo -- --once`: the README's first Quick start command, end to end on a free port. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from '../helpers/project.js';
import { freePort } from '../helpers/server.js';

it('compiles, migrates and serves the example, then passes its smoke test', async () => {
  const port = await freePort();
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts', 'demo.ts'), '--once'], {
      cwd: REPO,
      env: { ...process.env, PORT: String(port), NO_COLOR: '1' },
      timeout: 90_000,
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(`Quickback API listening on http://127.0.0.1:${port}`);
  expect(result.stdout).toMatch(/sign-up: 200, anonymous GET \/api\/v1\/tickets: 401/);
  // The demo installs nothing and migrates itself: no closing line tells the user to do either (issue #30 part 5).
  expect(result.stdout).not.toContain('Next:');
  expect(result.stdout).not.toMatch(/npm install|npm run db:migrate/);
}, 120_000);
