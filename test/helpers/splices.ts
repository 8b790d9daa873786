/** Byte preservation in codemod tests: put back what the splices replaced (must give the original). */
import type { Splice } from '../../src/codemod/splice.js';

export function revertSplices(result: string, splices: readonly Splice[], original: string): string {
  let out = result;
  let shift = 0;
  const shifted = [...splices].sort((a, b) => a.start - b.start).map((s) => {
    const start = s.start + shift;
    shift += s.text.length - (s.end - s.start);
    return { start, length: s.text.length, was: original.slice(s.start, s.end) };
  });
  for (const s of shifted.reverse()) out = out.slice(0, s.start) + s.was + out.slice(s.start + s.length);
  return out;
}
