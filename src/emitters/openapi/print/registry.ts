/**
 * @module emitters/openapi/print/registry
 * The schema registry served to signed-in callers at `GET /api/v1/schema`: per feature its
 * path, fields (kind, nullability, closed enum, system, filterable, searchable, mask type,
 * encrypted at rest),
 * access rules, views, guards and batch limits, for admin UIs and tooling. Plain data from the
 * AppModel, in model order.
 */
import { actionEntries } from './actions.js';
import type { AppModel, FeatureModel, FieldModel } from '../../../compiler/model/ir.js';
import { MAX_BATCH_SIZE } from './paths.js';

export interface RegistryField {
  key: string;
  kind: FieldModel['kind'];
  nullable: boolean;
  /** Must be sent on create (required, no default). */
  required: boolean;
  enum?: string[];
  system: boolean;
  filterable: FieldModel['filterable'];
  searchable: boolean;
  /** Mask type when responses may carry a masked value. */
  masked?: string;
  /** Encrypted at rest (`.encrypted()`): never filterable, searchable or sortable. */
  encrypted?: true;
}

function registryField(feature: FeatureModel, field: FieldModel): RegistryField {
  const masked = feature.masking[field.key]?.type;
  return {
    key: field.key,
    kind: field.kind,
    nullable: field.nullable,
    required: field.requiredOnCreate,
    ...(field.enumValues ? { enum: [...field.enumValues] } : {}),
    system: field.system,
    filterable: Array.isArray(field.filterable) ? [...field.filterable] : field.filterable,
    searchable: field.searchable,
    ...(masked ? { masked } : {}),
    ...(field.encrypted ? { encrypted: true as const } : {}),
  };
}

function registryFeature(feature: FeatureModel) {
  return {
    name: feature.name,
    path: feature.routePath,
    id: { key: feature.id.key, type: feature.id.type, strategy: feature.id.strategy },
    fields: feature.fields.map((f) => registryField(feature, f)),
    access: feature.access,
    views: feature.views.map((v) => ({ name: v.name, fields: [...v.fields] })),
    ...(feature.defaultView ? { defaultView: feature.defaultView } : {}),
    guards: {
      lists: feature.guards.lists,
      createable: feature.guards.createable,
      updatable: feature.guards.updatable,
      immutable: feature.guards.immutable,
      protected: feature.guards.protected,
    },
    deleteMode: feature.deleteMode,
    put: feature.put,
    batch: { ...feature.batch, maxBatchSize: MAX_BATCH_SIZE, allowFailFast: true },
  };
}

export type SchemaRegistry = ReturnType<typeof buildRegistry>;

export function buildRegistry(model: AppModel) {
  return {
    name: model.name,
    openapi: '/openapi.json',
    features: model.features.filter((f) => !f.internal).map((f) => ({
      ...registryFeature(f),
      actions: actionEntries(f.actions),
    })),
    actions: actionEntries(model.actions),
  };
}
