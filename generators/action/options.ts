/** `add action <feature> <name> [--standalone] [--method GET|POST|PUT|PATCH|DELETE]`. */
import { QuickbackError } from '../../src/shared/errors.js';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export interface ActionOptions {
  feature: string;
  name: string;
  standalone: boolean;
  method?: (typeof METHODS)[number];
}
const bad = (message: string) =>
  new QuickbackError('QB_GEN_INVALID_ARGUMENT', message, {
    hint: 'quickback add action <feature> <name> [--standalone] [--method POST]',
  });

export function actionOptions(positionals: string[], values: Record<string, unknown>): ActionOptions {
  const [feature, name, ...extra] = positionals;
  if (!feature || !name || extra.length > 0) throw bad('add action takes a feature and an action name');
  if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) throw bad(`"${name}" is not an action name (camelCase, e.g. checkIn)`);
  const method = values.method === undefined ? undefined : String(values.method).toUpperCase();
  if (method !== undefined && !(METHODS as readonly string[]).includes(method))
    throw bad(`--method ${String(values.method)} is not one of ${METHODS.join(', ')}`);
  return { feature, name, standalone: values.standalone === true, method: method as ActionOptions['method'] };
}
