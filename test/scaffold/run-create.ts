/** Runs the real create-quickback bin in a child process (no TTY), inside the git-ignored .out/. */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OUT, REPO } from '../helpers/project.js';

export const BIN = path.join(REPO, 'bin', 'create-quickback.js');

export function scaffoldDir(label: string): string {
  const dir = path.join(OUT, `scaffold-${label}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function runCreate(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string; child: ReturnType<typeof spawn> }> & {
  child: ReturnType<typeof spawn>;
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, npm_config_user_agent: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; child: typeof child }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, child }))
  );
  return Object.assign(done, { child });
}

/**
 * A folder under the system temp dir with slow stand-ins for `npm` and `git` (Node scripts): each
 * writes its pid to `<dir>/<tool>.pid` when it starts, then waits a minute, so a test can interrupt
 * the scaffold while that step is running. Put `dir` first on PATH.
 */
export function slowTools(): { dir: string; pidFile(tool: 'npm' | 'git'): string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'qb-slow-tools-'));
  for (const tool of ['npm', 'git']) {
    const file = path.join(dir, tool);
    writeFileSync(
      file,
      `#!${process.execPath}\nrequire('node:fs').writeFileSync(${
        JSON.stringify(path.join(dir, `${tool}.pid`))
      }, String(process.pid));\nconsole.log('${tool}: working');\nsetTimeout(() => {}, 60_000);\n`,
    );
    chmodSync(file, 0o755);
  }
  return { dir, pidFile: (tool) => path.join(dir, `${tool}.pid`) };
}

/** Resolves once `file` exists (polling every 50 ms; the caller's test timeout bounds the wait). */
export async function appears(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 50));
}

/** Whether a process with this pid is still running. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
