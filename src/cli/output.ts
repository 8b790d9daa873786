/**
 * @module cli/output
 * The only module that prints. Human output groups diagnostics by file; `--json` prints one JSON
 * document on stdout and nothing else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../shared/diagnostics.js';

const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const color = {
  red: paint(31),
  yellow: paint(33),
  green: paint(32),
  dim: paint(2),
  bold: paint(1),
  cyan: paint(36),
};

export function out(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function err(text = ''): void {
  process.stderr.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One JSON document per line (`compile --watch --json`: one per run). */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** `path/to/file.ts:LINE:COL`, relative to the cwd so a terminal can open it. */
function position(d: Diagnostic, root: string | undefined): string | undefined {
  if (d.line === undefined || !d.file) return undefined;
  const file = root ? path.relative(process.cwd(), path.resolve(root, d.file)).split(path.sep).join('/') : d.file;
  return `${file}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`;
}

/** The offending line with one line around it and a caret under the column. */
export function codeFrame(text: string, line: number, column = 1): string[] {
  const lines = text.split(/\r?\n/);
  if (line < 1 || line > lines.length) return [];
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    frame.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1].replace(/\t/g, '  ')}`);
    if (n === line)
      frame.push(
        `  ${' '.repeat(width)} | ${lines[n - 1].slice(0, column - 1).replace(/[^\t]/g, ' ').replace(/\t/g, '  ')}^`,
      );
  }
  return frame;
}

function readSource(root: string | undefined, file: string): string | undefined {
  try {
    return readFileSync(path.resolve(root ?? process.cwd(), file), 'utf8');
  } catch {
    return undefined;
  }
}

/** Diagnostics grouped by file, then a count line. Goes to stderr. `root`: what `file` is relative to. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], root?: string): void {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) groups.set(d.file ?? '(project)', [...(groups.get(d.file ?? '(project)') ?? []), d]);
  for (const [file, list] of groups) {
    err(color.bold(file));
    const text = file === '(project)' ? undefined : readSource(root, file);
    for (const d of list) {
      const label = d.severity === 'error' ? color.red('error') : color.yellow('warning');
      const loc = [position(d, root), d.at].filter(Boolean).join(' ');
      err(`  ${label} ${color.dim(d.code)}${loc ? ` ${color.cyan(loc)}` : ''}: ${d.message}`);
      if (text !== undefined && d.line !== undefined) {
        for (const row of codeFrame(text, d.line, d.column)) err(`      ${color.dim(row)}`);
      }
      if (d.hint) err(`        ${color.dim('hint:')} ${d.hint}`);
    }
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length > 0)
    err(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
}

export function printInternalError(thrown: unknown, debug: boolean): void {
  err(color.red('Internal error, please report it: ') + (thrown instanceof Error ? thrown.message : String(thrown)));
  if (debug && thrown instanceof Error && thrown.stack) err(thrown.stack);
  else err(color.dim('Run again with --debug for the stack trace.'));
}

/**
 * Progress of named steps: a spinner on a terminal (a long step's progress as its message), one
 * line per step otherwise, nothing with --json. The spinner only writes: it never reads the
 * terminal (no raw mode), so Ctrl-C stays a SIGINT the scaffolder handles (cli/create/interrupt).
 */
export async function stepReporter(
  json: boolean,
): Promise<
  {
    start(step: string): void;
    done(step: string, detail?: string): void;
    progress?(step: string, text: string): void;
    fail(label?: string): void;
  }
> {
  if (json) return { start() {}, done() {}, fail() {} };
  if (process.stdout.isTTY !== true) {
    return {
      start: (step) => out(color.dim(`… ${step}`)),
      done: (step, detail) => out(`${color.green('✓')} ${step}${detail ? color.dim(` (${detail})`) : ''}`),
      fail() {},
    };
  }
  const frames = ['◒', '◐', '◓', '◑'];
  let timer: ReturnType<typeof setInterval> | undefined;
  let step = '';
  let message = '';
  const line = (text: string) => process.stdout.write(`\r\u001b[2K${text}`);
  const stop = (text: string) => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    line(text ? `${text}\n\u001b[?25h` : '\u001b[?25h');
  };
  return {
    start(name) {
      step = name;
      message = name;
      let frame = 0;
      process.stdout.write('\u001b[?25l');
      line(`${color.cyan(frames[0])} ${message}`);
      timer = setInterval(() => line(`${color.cyan(frames[++frame % frames.length])} ${message}`), 80);
    },
    done(name, detail) {
      stop(`${color.green('✓')} ${name}${detail ? color.dim(` (${detail})`) : ''}`);
    },
    progress(_name, text) {
      message = text;
    },
    fail(label = 'failed') {
      stop(label ? `${color.red('✗')} ${step} ${label}` : '');
    },
  };
}
