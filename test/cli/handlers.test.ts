/**
 * Action handler files are the user's: a missing one is seeded once with a typed skeleton that
 * type-checks with the generated app; an edited one is never overwritten by later compiles.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, REPO } from '../helpers/project.js';
import { runCli } from './run-cli.js';

const ACTIONS = `import { defineActions } from "@quickback/compiler";
import { z } from "zod";
import notes from "./notes";
export default defineActions(notes, {
  pin: { description: "Pin a note", input: z.object({ why: z.string().max(50).optional() }), handler: "./handlers/pin" },
  stats: { description: "Note statistics", standalone: true, path: "/notes/stats", method: "GET", input: z.object({ days: z.number().int().min(1) }), handler: "./handlers/stats" },
});
`;

describe('action handler files', () => {
  it('seeds missing handlers once, never overwrites them, and the app type-checks', async () => {
    const root = copyFixture('helpdesk', 'handlers', { files: { 'quickback/features/notes/actions.ts': ACTIONS } });
    const handler = path.join(root, 'quickback/features/notes/handlers/pin.ts');
    const first = await runCli(['compile', '--cwd', root]);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(handler)).toBe(true);
    expect(readFileSync(handler, 'utf8')).toContain("export const execute: ActionHandler<NotesActionInput<'pin'>>");
    expect(existsSync(path.join(root, 'quickback/features/notes/handlers/stats.ts'))).toBe(true);
    execFileSync(process.execPath, [
      path.join(REPO, 'node_modules/typescript/bin/tsc'),
      '--noEmit',
      '-p',
      path.join(root, 'tsconfig.json'),
    ], { stdio: 'pipe' });

    const mine = readFileSync(handler, 'utf8').replace('return { ok: true', 'return { pinned: true, ok: true');
    writeFileSync(handler, mine);
    const second = await runCli(['compile', '--cwd', root]);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(handler, 'utf8')).toBe(mine);
    expect(second.stdout).toContain('Up to date: 0 files written');
  }, 120_000);
});
