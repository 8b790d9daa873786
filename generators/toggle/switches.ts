/**
 * The config edits of `quickback enable|disable <target>` besides realtime and organizations, each
 * a splice in quickback.config.ts (shapes from seed 000 "Providers", seed 004 "Auth & JWT" and
 * the reference; docs.quickback.dev/stack/webhooks for webhooks):
 * - webhooks: `webhooksBinding: "WEBHOOKS_DB"` in defineDatabase(...)'s options (removed by disable);
 * - files: `fileStorage: defineFileStorage("r2", { binding: "FILES" })` in `providers`, and
 *   `defineFileStorage` in the import from "@quickback/compiler" (both removed by disable);
 * - openapi: the Better Auth plugin "openAPI" in defineAuth(...);
 * - jwt-revocation: `auth: { jwt: { revocationCheck: "kv" } }` ("none" when disabled);
 * - observability: `observability: { enabled: true }` in defineRuntime(...)'s options (false);
 * - placement: `placement: { mode: "smart" }` in defineRuntime(...)'s options ("standard").
 * Missing objects on the way are created; an explicit opposite value is flipped; a value that is
 * not a literal (a variable, a call, a spread that may hold it) is QB_GEN_CONFLICT.
 */
import { Node, SyntaxKind, type ObjectLiteralExpression } from 'ts-morph';
import {
  asObject,
  isString,
  removeArrayItem,
  removeProperty,
  setProperty,
  type Edit,
} from '../../src/codemod/edits.js';
import { addNamedImport, removeNamedImport } from '../../src/codemod/imports.js';
import { findPath, nestedLiteral, setPropertyPath } from '../../src/codemod/paths.js';
import { conflict, findCall, property, propertyName, type ParsedSource } from '../../src/codemod/source.js';
import { quoted } from '../../src/codemod/style.js';
import { QuickbackError } from '../../src/shared/errors.js';
import { addPlugin } from '../plugin/index.js';

export type ConfigSwitch = (source: ParsedSource, on: boolean) => Edit;
const UNCHANGED: Edit = { status: 'unchanged', splices: [] };
const DSL = '@quickback/compiler';

export function configObject(source: ParsedSource): ObjectLiteralExpression {
  return asObject(
    source,
    findCall(source, 'defineConfig')?.getArguments()[0],
    'the defineConfig argument',
    'edit the object passed to defineConfig(...)',
  );
}

type Scalar = string | boolean;
const render = (
  source: ParsedSource,
  value: Scalar,
): string => (typeof value === 'string' ? quoted(value, source.style) : String(value));

function scalarOf(node: Node): Scalar | undefined {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralText();
  if (Node.isTrueLiteral(node)) return true;
  if (Node.isFalseLiteral(node)) return false;
  return undefined;
}

function spreadConflict(source: ParsedSource, object: ObjectLiteralExpression, name: string, manual: string): void {
  const spread = object.getProperties().find((p) => Node.isSpreadAssignment(p));
  if (spread) throw conflict(source, spread, `a spread where \`${name}\` may be set`, manual);
}

/** One setting at a property path, in a provider call's options or in defineConfig's object. */
interface Leaf {
  /** `defineRuntime` / `defineDatabase`: the path starts in that call's options; absent: in defineConfig({...}). */
  call?: string;
  path: readonly string[];
  on: Scalar;
  /** What disable writes; absent: disable removes the property. */
  off?: Scalar;
  /** Whether a value that is there counts as on (default: equal to `on`). */
  isOn?: (value: Scalar) => boolean;
}

function leafSwitch(leaf: Leaf): ConfigSwitch {
  return (source, on) => {
    const where = leaf.call ? `the options of ${leaf.call}(...)` : 'defineConfig({...})';
    const dotted = leaf.path.join('.');
    const manual = on
      ? `set ${dotted}: ${render(source, leaf.on)} in ${where}`
      : leaf.off === undefined
      ? `remove ${dotted} from ${where}`
      : `set ${dotted}: ${render(source, leaf.off)} in ${where}`;
    let root: ObjectLiteralExpression;
    if (leaf.call) {
      const call = findCall(source, leaf.call);
      if (!call)
        throw new QuickbackError('QB_GEN_CONFLICT', `${source.path} has no ${leaf.call}(...) call`, {
          file: source.path,
          hint: `Make the edit by hand: ${manual}`,
        });
      const [kind, options] = call.getArguments();
      if (!options) {
        if (!on) return UNCHANGED;
        if (!kind) throw conflict(source, call, `\`${leaf.call}\` without a kind`, manual);
        return {
          status: 'added',
          splices: [{
            start: kind.getEnd(),
            end: kind.getEnd(),
            text: `, ${nestedLiteral(source, leaf.path, render(source, leaf.on))}`,
          }],
        };
      }
      root = asObject(source, options, `the ${leaf.call} options`, manual);
    } else {
      root = configObject(source);
    }
    const name = leaf.path[leaf.path.length - 1];
    const { object, missing } = findPath(source, root, leaf.path.slice(0, -1), manual);
    const existing = missing.length === 0 ? object.getProperties().find((p) => propertyName(p) === name) : undefined;
    if (!existing) {
      if (!on) {
        if (missing.length === 0) spreadConflict(source, object, name, manual);
        return UNCHANGED;
      }
      return setPropertyPath(source, root, leaf.path, render(source, leaf.on), manual);
    }
    const node = Node.isPropertyAssignment(existing) ? existing.getInitializer() : undefined;
    const value = node && scalarOf(node);
    if (value === undefined) throw conflict(source, node ?? existing, `\`${dotted}\``, manual);
    if (on)
      return (leaf.isOn ?? ((v) => v === leaf.on))(value)
        ? UNCHANGED
        : setProperty(source, object, name, render(source, leaf.on));
    if (leaf.off === undefined) return removeProperty(source, object, name);
    return value === leaf.off ? UNCHANGED : setProperty(source, object, name, render(source, leaf.off));
  };
}

/** Any binding name counts as on; disable removes it (there is no "off" binding). */
export const webhooks = leafSwitch({
  call: 'defineDatabase',
  path: ['webhooksBinding'],
  on: 'WEBHOOKS_DB',
  isOn: (v) => typeof v === 'string' && v !== '',
});
export const jwtRevocation = leafSwitch({ path: ['auth', 'jwt', 'revocationCheck'], on: 'kv', off: 'none' });
export const observability = leafSwitch({
  call: 'defineRuntime',
  path: ['observability', 'enabled'],
  on: true,
  off: false,
});
export const placement = leafSwitch({
  call: 'defineRuntime',
  path: ['placement', 'mode'],
  on: 'smart',
  off: 'standard',
});

function merge(...edits: Edit[]): Edit {
  const changed = edits.filter((e) => e.status !== 'unchanged');
  if (changed.length === 0) return UNCHANGED;
  return {
    status: changed.some((e) => e.status === 'added') ? 'added' : 'updated',
    splices: changed.flatMap((e) => e.splices),
  };
}

/** `fileStorage: defineFileStorage("r2", { binding: "FILES" })` in providers (seed 000; bucketName defaults to <name>-media). */
export function files(source: ParsedSource, on: boolean): Edit {
  const q = (text: string) => quoted(text, source.style);
  const call = `defineFileStorage(${q('r2')}, { binding: ${q('FILES')} })`;
  const manual = on
    ? `add fileStorage: ${call} to providers, and defineFileStorage to the import from "${DSL}"`
    : 'remove fileStorage from providers';
  const config = configObject(source);
  const { object: providers, missing } = findPath(source, config, ['providers'], manual);
  const { node, value } = missing.length === 0 ? property(providers, 'fileStorage') : {};
  if (on) {
    if (node) {
      if (value && Node.isCallExpression(value) && value.getExpression().getText() === 'defineFileStorage')
        return UNCHANGED;
      throw conflict(source, value ?? node, '`providers.fileStorage`', manual);
    }
    return merge(
      setPropertyPath(source, config, ['providers', 'fileStorage'], call, manual),
      addNamedImport(source, DSL, 'defineFileStorage'),
    );
  }
  if (!node) {
    if (missing.length === 0) spreadConflict(source, providers, 'fileStorage', manual);
    return UNCHANGED;
  }
  // The import goes too when nothing else in the file uses defineFileStorage.
  const elsewhere = source.file.getDescendantsOfKind(SyntaxKind.Identifier).some((id) =>
    id.getText() === 'defineFileStorage'
    && !id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)
    && (id.getStart() < node.getStart() || id.getEnd() > node.getEnd())
  );
  return merge(
    removeProperty(source, providers, 'fileStorage'),
    elsewhere ? UNCHANGED : removeNamedImport(source, DSL, 'defineFileStorage'),
  );
}

/** The Better Auth plugin "openAPI" (seed 000): added as `add plugin openAPI` does; disable takes it out or sets it false. */
export function openapi(source: ParsedSource, on: boolean): Edit {
  if (on) return addPlugin(source, 'openAPI');
  const options = findCall(source, 'defineAuth')?.getArguments()[1];
  if (!options) return UNCHANGED;
  const manual = 'remove "openAPI" from plugins in defineAuth(...) (or set openAPI: false)';
  const { node, value } = property(asObject(source, options, 'the defineAuth options', manual), 'plugins');
  if (!node) return UNCHANGED;
  if (value && Node.isArrayLiteralExpression(value)) return removeArrayItem(source, value, isString('openAPI'));
  if (value && Node.isObjectLiteralExpression(value)) {
    const { node: entry, value: setting } = property(value, 'openAPI');
    if (!entry) {
      spreadConflict(source, value, 'openAPI', manual);
      return UNCHANGED;
    }
    if (setting && Node.isFalseLiteral(setting)) return UNCHANGED;
    // `openAPI: { ...options }` would lose its options: that is the user's call, not ours.
    if (!setting || !Node.isTrueLiteral(setting))
      throw conflict(
        source,
        setting ?? entry,
        '`plugins.openAPI`',
        'set openAPI: false in plugins (its options are then unused)',
      );
    return setProperty(source, value, 'openAPI', 'false');
  }
  throw conflict(source, value ?? node, '`plugins`', manual);
}
