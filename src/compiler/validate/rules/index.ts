/**
 * @module compiler/validate/rules
 * Every validate rule, each `(project) => Diagnostic[]`. They all run, whatever the others find.
 */
import type { Rule } from '../project.js';
import { accessRule } from './access-rule.js';
import { accountPagesRule } from './account-pages-rule.js';
import { actionsRule } from './actions-rule.js';
import { capabilityRule } from './capability-rule.js';
import { cloudflareRule } from './cloudflare-rule.js';
import { columnBoundsRule } from './column-bounds-rule.js';
import { columnDefaultRule } from './column-default-rule.js';
import { configSchemaRule } from './config-schema-rule.js';
import { emailRule } from './email-rule.js';
import { encryptedRule } from './encrypted-rule.js';
import { duplicateFeatureRule } from './duplicate-feature-rule.js';
import { externalAuthRule } from './external-auth-rule.js';
import { filesRule } from './files-rule.js';
import { guardsRule } from './guards-rule.js';
import { idColumnRule } from './id-column-rule.js';
import { jwtRule } from './jwt-rule.js';
import { namesRule } from './names-rule.js';
import { operationRule } from './operation-rule.js';
import { organizationsRule } from './organizations-rule.js';
import { postgresRule } from './postgres-rule.js';
import { supabaseAuthRule } from './supabase-auth-rule.js';
import { readRule } from './read-rule.js';
import { realtimeRule } from './realtime-rule.js';
import { referenceRule } from './reference-rule.js';
import { reservedColumnRule } from './reserved-column-rule.js';
import { resourceSchemaRule } from './resource-schema-rule.js';
import { roleHierarchyRule } from './role-hierarchy-rule.js';
import { scopeRule } from './scope-rule.js';
import { socialProviderRule } from './social-provider-rule.js';
import { storageRule } from './storage-rule.js';
import { uniqueRule } from './unique-rule.js';
import { webhooksRule } from './webhooks-rule.js';

export const rules: readonly { name: string; run: Rule }[] = [
  { name: 'config-schema', run: configSchemaRule },
  { name: 'resource-schema', run: resourceSchemaRule },
  { name: 'capability', run: capabilityRule },
  { name: 'cloudflare', run: cloudflareRule },
  { name: 'postgres', run: postgresRule },
  { name: 'supabase-auth', run: supabaseAuthRule },
  { name: 'external-auth', run: externalAuthRule },
  { name: 'storage', run: storageRule },
  { name: 'files', run: filesRule },
  { name: 'realtime', run: realtimeRule },
  { name: 'webhooks', run: webhooksRule },
  { name: 'jwt', run: jwtRule },
  { name: 'email', run: emailRule },
  { name: 'account-pages', run: accountPagesRule },
  { name: 'social-provider', run: socialProviderRule },
  { name: 'role-hierarchy', run: roleHierarchyRule },
  { name: 'names', run: namesRule },
  { name: 'duplicate-feature', run: duplicateFeatureRule },
  { name: 'reserved-column', run: reservedColumnRule },
  { name: 'id-column', run: idColumnRule },
  { name: 'column-default', run: columnDefaultRule },
  { name: 'column-bounds', run: columnBoundsRule },
  { name: 'scope', run: scopeRule },
  { name: 'access', run: accessRule },
  { name: 'organizations', run: organizationsRule },
  { name: 'operation', run: operationRule },
  { name: 'unique', run: uniqueRule },
  { name: 'encrypted', run: encryptedRule },
  { name: 'reference', run: referenceRule },
  { name: 'guards', run: guardsRule },
  { name: 'read', run: readRule },
  { name: 'actions', run: actionsRule },
];
