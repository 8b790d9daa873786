/**
 * @module compiler/load/actions
 * What the later (pure) stages need to know about each action that only the file system and the
 * user's zod can tell: where its handler file is and whether it exists yet, and its input and
 * output as JSON Schema (zod 4's own `toJSONSchema`, each side as it is: parsed input, returned output).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { relativePath } from './paths.js';
import type { ActionsInput, ResolvedAction } from './types.js';

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

function handlerFile(absRoot: string, definitionFile: string, handler: string): NonNullable<ResolvedAction['handler']> {
  const base = path.resolve(absRoot, path.dirname(definitionFile), handler);
  const withExt = path.extname(base) ? [base] : EXTENSIONS.map((ext) => base + ext);
  const found = withExt.find((file) => existsSync(file));
  const file = relativePath(absRoot, found ?? (path.extname(base) ? base : `${base}.ts`));
  return { file, exists: found !== undefined };
}

function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function jsonSchemaOf(value: unknown, io: 'input' | 'output'): ResolvedAction['input'] {
  if (value === undefined) return undefined;
  if (!isZodSchema(value)) return { problem: 'is not a zod 4 schema' };
  try {
    // Plain JSON (zod attaches a non-enumerable `~standard` to the result), so it can be cached.
    return {
      schema: JSON.parse(JSON.stringify(z.toJSONSchema(value, { io, unrepresentable: 'throw' }))) as Record<
        string,
        unknown
      >,
    };
  } catch (thrown) {
    return {
      problem: `cannot be described as JSON Schema (${thrown instanceof Error ? thrown.message : String(thrown)})`,
    };
  }
}

/**
 * Per action, its input and output as JSON Schema; the zod schemas themselves are dropped, so what
 * later stages see is plain data whether it came from source or from the cache.
 */
export function resolveInputs(input: ActionsInput): ActionsInput {
  const resolved: Record<string, ResolvedAction> = {};
  const actions: ActionsInput['actions'] = {};
  for (const [name, spec] of Object.entries(input.actions ?? {})) {
    if (typeof spec !== 'object' || spec === null) {
      actions[name] = spec;
      continue;
    }
    const { input: schema, output, ...rest } = spec;
    actions[name] = rest;
    resolved[name] = {
      input: jsonSchemaOf(schema, 'input'),
      ...(output === undefined ? {} : { output: jsonSchemaOf(output, 'output') }),
    };
  }
  return { ...input, actions, resolved };
}

/** Per action, its handler file and whether it exists; hashes handler files that exist into `sources`. */
export function resolveHandlers(
  input: ActionsInput,
  absRoot: string,
  sources: Record<string, string>,
  hash: (file: string) => string,
): ActionsInput {
  const resolved: Record<string, ResolvedAction> = {};
  for (const [name, spec] of Object.entries(input.actions ?? {})) {
    if (typeof spec !== 'object' || spec === null) continue;
    const entry: ResolvedAction = { ...input.resolved?.[name] };
    if (typeof spec.handler === 'string' && spec.handler.length > 0) {
      const found = handlerFile(absRoot, input.file, spec.handler);
      entry.handler = found;
      if (found.exists) sources[found.file] = hash(path.join(absRoot, found.file));
    }
    resolved[name] = entry;
  }
  return { ...input, resolved };
}
