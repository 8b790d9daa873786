/**
 * Prompts of the generators, driven in-process with a scripted prompter: they fill missing
 * required arguments only when interactive (a TTY and no --json); otherwise the command is
 * refused with its usage; cancelling writes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generateCommand } from '../../src/cli/commands/generate.js';
import { commandContext } from '../../src/cli/context.js';
import { CANCEL, type Prompter } from '../../src/cli/prompt.js';
import { isQuickbackError } from '../../src/shared/errors.js';
import { copyFixture } from '../helpers/project.js';
import { tree } from './run-cli.js';

const TICKETS = 'quickback/features/tickets/tickets.ts';

function scripted(answers: (string | typeof CANCEL)[]) {
  const asked: string[] = [];
  const next = async (message: string) => {
    asked.push(message);
    return answers.shift()!;
  };
  const prompter = {
    text: (m: string) => next(m),
    select: (m: string, options: { value: string }[]) => {
      asked.push(options.map((o) => o.value).join(','));
      return next(m);
    },
  } as unknown as Prompter;
  return { asked, prompter: async () => prompter };
}

async function codeOf(run: () => Promise<unknown>) {
  try {
    await run();
    return null;
  } catch (e) {
    return isQuickbackError(e) ? e.code : e;
  }
}

describe('generator prompts', () => {
  it("asks for the generator, the feature (a select of the project's features) and the column when they are missing", async () => {
    const root = copyFixture('helpdesk', 'gen-prompts');
    const { asked, prompter } = scripted(['column', 'tickets', 'nickname:text:optional']);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await generateCommand('add', { isTTY: true, prompter })(['--cwd', root, '--no-compile'], commandContext))
        .toBe(0);
    } finally {
      stdout.mockRestore();
    }
    expect(asked[0]).toMatch(/^feature,column,view,action,plugin$/);
    expect(asked).toContain('comments,notes,tickets');
    expect(readFileSync(path.join(root, TICKETS), 'utf8')).toContain('nickname: q.text().optional(),');
  });

  it('never asks without a TTY or with --json: the command is refused with its usage', async () => {
    const root = copyFixture('helpdesk', 'gen-prompts-ci');
    const { asked, prompter } = scripted(['tickets']);
    expect(
      await codeOf(() => generateCommand('add', { isTTY: false, prompter })(['column', '--cwd', root], commandContext)),
    ).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(
      await codeOf(() =>
        generateCommand('add', { isTTY: true, prompter })(['column', '--json', '--cwd', root], commandContext)
      ),
    ).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(asked).toEqual([]);
  });

  it('each generator takes only its own flags (from the registry)', async () => {
    const root = copyFixture('helpdesk', 'gen-flags');
    const run = (...argv: string[]) =>
      codeOf(() =>
        generateCommand('add', { isTTY: false })([...argv, '--cwd', root, '--dry-run', '--json'], commandContext)
      );
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await run('feature', 'guests', '--fields', 'a')).toBe('QB_CLI_UNKNOWN_FLAG');
      expect(await run('view', 'tickets', 'brief', '--fields', 'id', '--standalone')).toBe('QB_CLI_UNKNOWN_FLAG');
      expect(await run('view', 'tickets', 'brief', '--fields', 'id')).toBeNull();
      expect(await run('feature', 'guests', '--bogus')).toBe('QB_CLI_UNKNOWN_FLAG');
    } finally {
      stdout.mockRestore();
    }
  });

  it('cancelling a prompt writes nothing (QB_GEN_CANCELLED)', async () => {
    const root = copyFixture('helpdesk', 'gen-prompts-cancel');
    const before = tree(root);
    const { prompter } = scripted(['tickets', CANCEL]);
    expect(
      await codeOf(() => generateCommand('add', { isTTY: true, prompter })(['view', '--cwd', root], commandContext)),
    ).toBe('QB_GEN_CANCELLED');
    expect(tree(root)).toEqual(before);
  });
});
