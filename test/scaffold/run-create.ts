/** Runs the real create-quickback bin in a child process (no TTY), inside the git-ignored .out/. */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { OUT, REPO } from '../helpers/project.js';

export const BIN = path.join(REPO, 'bin', 'create-quickback.js');

export function scaffoldDir(label: string): string {
  const dir = path.join(OUT, `scaffold-${label}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function runCreate(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; child: ReturnType<typeof spawn> }> & { child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, npm_config_user_agent: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; child: typeof child }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, child })));
  return Object.assign(done, { child });
}
