/**
 * The interactive path for real, in a tmux pane (a true TTY): a typed answer, arrow keys in a
 * select, Enter through the defaults; Ctrl-C at the first prompt, which writes nothing; Ctrl-C while
 * the install runs (a slow stand-in for npm), which stops it and removes the project. Both exit 130.
 * Needs tmux (on every machine of this kind, Debian's tmux); without it the suite says so, and
 * fails under CI (test/helpers/requires.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requires } from '../helpers/requires.js';
import { alive, appears, BIN, scaffoldDir, slowTools } from './run-create.js';

const hasTmux = requires(
  'tmux',
  (() => {
    try {
      execFileSync('tmux', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })(),
  'install it (apt-get install tmux)',
);
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

async function until(session: string, text: string, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const pane = tmux('capture-pane', '-p', '-t', session, '-S', '-200');
    if (pane.includes(text)) return pane;
    if (Date.now() > end) throw new Error(`"${text}" did not appear:\n${pane}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the scaffolder in a fresh tmux session and folder, hands both to `drive`, then kills it. */
async function inPane(
  label: string,
  drive: (session: string, cwd: string) => Promise<void>,
  command = `${process.execPath} ${BIN} --no-install --no-git`,
): Promise<void> {
  const cwd = scaffoldDir(label);
  const session = `qb-${process.pid}-${label}`;
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '50', '-c', cwd, `${command}; echo EXIT=$?; sleep 60`);
  try {
    await drive(session, cwd);
  } finally {
    tmux('kill-session', '-t', session);
    rmSync(cwd, { recursive: true, force: true });
  }
}

describe.runIf(hasTmux)('create-quickback in a terminal (tmux)', () => {
  it('answers with text, arrow keys and Enter, then scaffolds', () => inPane('tmux', async (session, cwd) => {
    await until(session, 'Where should the project go?');
    tmux('send-keys', '-t', session, 'termapp', 'Enter');
    await until(session, 'Template');
    tmux('send-keys', '-t', session, 'Down', 'Enter');
    for (const prompt of [
      'Runtime',
      'Database',
      'Multi-tenant organizations?',
      'Extra Better Auth plugins',
      'Package manager',
    ]) {
      await until(session, prompt);
      tmux('send-keys', '-t', session, 'Enter');
    }
    const pane = await until(session, 'EXIT=', 60_000);
    expect(pane).toContain('EXIT=0');
    expect(existsSync(path.join(cwd, 'termapp', 'quickback', 'features', 'projects', 'projects.ts'))).toBe(true);
  }), 90_000);

  it('Ctrl-C at a prompt exits 130 and writes nothing', () => inPane('tmux-cancel', async (session, cwd) => {
    await until(session, 'Where should the project go?');
    tmux('send-keys', '-t', session, 'C-c');
    const pane = await until(session, 'EXIT=');
    expect(pane).toContain('EXIT=130');
    expect(pane).toContain('Interrupted: nothing was written (QB_CREATE_CANCELLED)');
    expect(readdirSync(cwd)).toEqual([]);
  }), 60_000);

  it('Ctrl-C during the install stops it, removes the project (secrets included) and exits 130', async () => {
    const tools = slowTools();
    try {
      await inPane(
        'tmux-install',
        async (session, cwd) => {
          await appears(tools.pidFile('npm'));
          expect(existsSync(path.join(cwd, 'app', '.env'))).toBe(true);
          tmux('send-keys', '-t', session, 'C-c');
          const pane = await until(session, 'EXIT=');
          expect(pane).toContain('EXIT=130');
          expect(pane).toContain(`Interrupted: removed ${path.join(cwd, 'app')}`);
          expect(pane).not.toContain('Canceled');
          expect(readdirSync(cwd)).toEqual([]);
          expect(alive(Number(readFileSync(tools.pidFile('npm'), 'utf8')))).toBe(false);
        },
        `PATH=${tools.dir}:$PATH ${process.execPath} ${BIN} app --yes --runtime node --install --package-manager npm --no-git`,
      );
    } finally {
      rmSync(tools.dir, { recursive: true, force: true });
    }
  }, 60_000);
});
