/**
 * @module codemod/splice
 * Edits as splices: replace [start, end) of the original text with new text. Every byte outside
 * the splices is kept, so removing what a splice inserted gives back the original exactly.
 */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping splices (positions in the original text), in any order. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const splice of sorted) {
    if (splice.start < at || splice.end < splice.start || splice.end > text.length) {
      throw new RangeError(`overlapping or out-of-range splice at ${splice.start}-${splice.end}`);
    }
    out += text.slice(at, splice.start) + splice.text;
    at = splice.end;
  }
  return out + text.slice(at);
}

/** 1-based line of a position, for messages. */
export function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Start of the line holding `position`. */
export function lineStart(text: string, position: number): number {
  return text.lastIndexOf('\n', position - 1) + 1;
}

/** The whitespace that starts the line holding `position`. */
export function indentAt(text: string, position: number): string {
  const start = lineStart(text, position);
  return /^[\t ]*/.exec(text.slice(start))![0];
}
