/**
 * @module cli/create/interrupt
 * Ctrl-C (SIGINT) or SIGTERM at any point of a scaffold, on a terminal or not: stop the tool being
 * run (npm, git), remove what this run wrote unless --keep-on-failure, say so in one line on
 * stderr (with --json: one JSON result) and exit 128 + the signal, 130 for Ctrl-C.
 *
 * On a terminal Ctrl-C goes to the whole foreground process group, so npm gets SIGINT too and may
 * exit before this process handles its own: a tool that died of a signal or exited 130/143 is an
 * interruption, never a failed step, and a step that fails while an interruption is under way
 * waits for it (`settled`) instead of reporting a failure.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { err, printJson } from '../output.js';

type Signal = 'SIGINT' | 'SIGTERM';
const NUMBERS: Record<Signal, number> = { SIGINT: 2, SIGTERM: 15 };

/** What an interruption must clean up; filled in by the scaffolder as it goes. */
export interface Scope {
  json: boolean;
  keep: boolean;
  /** The project folder, once writing may have started. */
  root?: string;
  /** The folder existed (empty) before: its contents are removed, not the folder. */
  existed?: boolean;
  /** Clears the progress line before the message. */
  stopProgress?: () => void;
}

/** A running tool: an execa child (kill, and a promise that settles when it has exited). */
interface Tool {
  kill(signal?: NodeJS.Signals): boolean;
  then: PromiseLike<unknown>['then'];
}

let scope: Scope | undefined;
let tool: Tool | undefined;
let interrupting: Promise<never> | undefined;

/** The one line an interruption prints, after cleaning up. */
function cleanUp(current: Scope): string {
  const { root } = current;
  if (!root) return 'Interrupted: nothing was written';
  if (current.keep) return `Interrupted: kept ${root} (--keep-on-failure)`;
  if (!current.existed) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  else
    for (const entry of readdirSync(root))
      rmSync(path.join(root, entry), { recursive: true, force: true, maxRetries: 3 });
  return `Interrupted: removed ${root}`;
}

/** Stops the running tool (if any), cleans up, prints one line and exits 128 + signal. Idempotent. */
export function interrupt(signal: Signal): Promise<never> {
  interrupting ??= (async () => {
    const running = tool;
    if (running) {
      running.kill('SIGTERM');
      await Promise.resolve(running).catch(() => undefined);
    }
    const current = scope ?? { json: false, keep: false };
    current.stopProgress?.();
    const line = cleanUp(current);
    if (current.json)
      printJson({ ok: false, interrupted: signal, error: { code: 'QB_CREATE_INTERRUPTED', message: line } });
    else err(line);
    process.exit(128 + NUMBERS[signal]);
  })();
  return interrupting;
}

const onSigint = () => void interrupt('SIGINT');
const onSigterm = () => void interrupt('SIGTERM');

/** Handles SIGINT/SIGTERM for `current` until the returned function is called. */
export function guard(current: Scope): () => void {
  scope = current;
  process.on('SIGINT', onSigint).on('SIGTERM', onSigterm);
  return () => {
    process.removeListener('SIGINT', onSigint).removeListener('SIGTERM', onSigterm);
    scope = undefined;
  };
}

/** Tracks `child` as the running tool until it exits, so an interruption stops it first. */
export function track<T extends Tool>(child: T): T {
  tool = child;
  Promise.resolve(child).catch(() => undefined).then(() => {
    if (tool === child) tool = undefined;
  });
  return child;
}

/** A tool's exit that means it was interrupted (a signal, or the shell's 128 + SIGINT/SIGTERM). */
export function interruptedBy(result: { signal?: string; exitCode?: number }): Signal | undefined {
  if (result.signal === 'SIGINT' || result.exitCode === 130) return 'SIGINT';
  if (result.signal === 'SIGTERM' || result.exitCode === 143) return 'SIGTERM';
  return undefined;
}

/** Resolves at once, unless an interruption is under way: then never (it exits the process). */
export function settled(): Promise<void> {
  return interrupting ?? Promise.resolve();
}
