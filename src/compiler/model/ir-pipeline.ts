/**
 * @module compiler/model/ir-pipeline
 * The security-pipeline and action parts of a FeatureModel (see ir.ts): access rules, guards,
 * masking, views and actions. Pure, JSON-serialisable data. The rule shapes the generated app
 * enforces (access, guards, masks) are the runtime's own types, imported from it (the compiler may
 * import runtime types, never the reverse), so the IR and the runtime cannot drift apart.
 */
import type { AccessRule, Condition, GuardsDefinition, MaskRule, MaskType } from '../../runtime/core/resource.js';

export type { MaskType };

/**
 * Normalised access rule. `roles` are expanded (`admin+` → admin, owner) and may contain `PUBLIC`.
 * An empty rule `{}` means "any signed-in user" (the firewall still scopes rows).
 */
export type AccessModel = AccessRule;
export type ConditionModel = Condition;

/**
 * Field write rules. `lists: false` (no `guards` key, or `guards: false`): every non-system field
 * is createable and updatable. Otherwise a field listed nowhere cannot be written by clients.
 * `protected`: field → the actions allowed to change it.
 */
export type GuardsModel = GuardsDefinition;

/**
 * A masked column: `custom` keeps `keepFirst`/`keepLast` characters and stars the rest; `show`
 * (org roles expanded, platform roles, or the row owner) sees the real value; `query` may filter,
 * sort and search on it (default: the `show` roles).
 */
export interface MaskModel extends MaskRule {
  /** Applied without explicit config (a sensitive column name); compile warns. */
  auto: boolean;
}

export interface ViewModel {
  name: string;
  /** Projection (always includes the id). */
  fields: string[];
  access: AccessModel;
  /** Allowlists; absent = every known column. */
  query: { filterable?: string[]; searchable?: string[]; sortable?: string[]; defaultSort?: string };
}

/** One action of `defineActions` (reference §1.10). */
export interface ActionModel {
  name: string;
  /** The feature it is bound to (null: a tableless actions file). */
  feature: string | null;
  /** `record`: `<method> <routePath>/:id/<name>`; `standalone`: `<method> /api/v1<path>`. */
  kind: 'record' | 'standalone';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Full URL pattern, e.g. `/api/v1/tickets/:id/escalate`. */
  path: string;
  description: string;
  access: AccessModel;
  /** JSON Schema of the input (from the user's zod schema). */
  input: Record<string, unknown>;
  /** GET reads the input from the query string. */
  inputSource: 'query' | 'body';
  /** Project-relative path of the user-owned handler module (with extension). */
  handler: string;
  /** The handler file is missing: compile seeds a skeleton once. */
  seedHandler: boolean;
  transition?: { field: string; fromTo: Record<string, string[]>; to?: string; via?: string };
  responseType: 'json' | 'stream' | 'file';
  /** The media type of the answer: application/json, or the file/stream `contentType` (default application/octet-stream). */
  contentType: string;
  /** JSON Schema of the JSON result (from the `output` zod schema; absent: not described). */
  output?: Record<string, unknown>;
  /** Unsafe actions get an unscoped db and write an audit event first (fail closed). */
  unsafe?: { reason: string; adminOnly: boolean; crossTenant: boolean };
}
