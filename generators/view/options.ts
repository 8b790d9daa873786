/** `add view <feature> <name> --fields a,b`. */
import { QuickbackError } from '../../src/shared/errors.js';

export interface ViewOptions {
  feature: string;
  name: string;
  fields: string[];
}
const IDENT = /^[A-Za-z_$][\w$]*$/;
const bad = (message: string) =>
  new QuickbackError('QB_GEN_INVALID_ARGUMENT', message, {
    hint: 'quickback add view <feature> <name> --fields id,title,status',
  });

export function viewOptions(positionals: string[], values: Record<string, unknown>): ViewOptions {
  const [feature, name, ...extra] = positionals;
  if (!feature || !name || extra.length > 0) throw bad('add view takes a feature and a view name');
  if (!IDENT.test(name)) throw bad(`"${name}" is not a view name (letters, digits, _ and $)`);
  const fields = typeof values.fields === 'string' ? values.fields.split(',').map((f) => f.trim()).filter(Boolean) : [];
  if (fields.length === 0) throw bad('add view needs --fields: the columns the view returns');
  const odd = fields.find((f) => !IDENT.test(f));
  if (odd) throw bad(`--fields: "${odd}" is not a column name`);
  return { feature, name, fields: [...new Set(fields)] };
}
