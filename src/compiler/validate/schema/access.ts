/**
 * @module compiler/validate/schema/access
 * Zod schemas of access rules (`{ roles?, userRole?, record?, or?, and? }`, recursive) and of
 * record conditions (exactly one operator), mirroring AccessRule and Condition in
 * src/dsl/feature.ts. Function-form access is accepted here and rejected by the capability rule.
 */
import * as z from 'zod';
import type { ErrorCode } from '../../../shared/error-codes.js';

export const conditionOperators = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'lessThan',
  'greaterThan',
  'lessThanOrEqual',
  'greaterThanOrEqual',
] as const;

/** Issue params read by the issue mapper: the diagnostic code and hint of a custom issue. */
export interface IssueParams {
  qbCode?: ErrorCode;
  hint?: string;
}

const listValue = z.array(z.unknown());
const operatorsSchema = z.strictObject({
  equals: z.unknown().optional(),
  notEquals: z.unknown().optional(),
  in: listValue.optional(),
  notIn: listValue.optional(),
  lessThan: z.number().optional(),
  greaterThan: z.number().optional(),
  lessThanOrEqual: z.number().optional(),
  greaterThanOrEqual: z.number().optional(),
});

/** Exactly one key (checked on the raw object, so a misspelt operator still counts), then the operator itself. */
export const conditionSchema = z.record(z.string(), z.unknown()).superRefine((condition, ctx) => {
  const used = Object.keys(condition).filter((key) => condition[key] !== undefined);
  if (used.length === 1) return;
  const params: IssueParams = {
    qbCode: 'QB_VALIDATE_INVALID_ACCESS',
    hint: 'Example: record: { ownerId: { equals: "$ctx.userId" } }',
  };
  ctx.addIssue({
    code: 'custom',
    message: used.length === 0
      ? `A record condition needs exactly one operator (${conditionOperators.join(', ')})`
      : `A record condition takes exactly one operator, got ${used.join(' and ')}`,
    params,
  });
}).pipe(operatorsSchema);

export const accessRuleSchema: z.ZodType = z.lazy(() => z.strictObject({
  roles: z.array(z.string()).optional(),
  userRole: z.array(z.string()).optional(),
  record: z.record(z.string(), conditionSchema).optional(),
  or: z.array(accessRuleSchema).optional(),
  and: z.array(accessRuleSchema).optional(),
}));

/** `access`: a rule object or (not built yet) a function. */
export const accessSchema = z.union([accessRuleSchema, z.function()]);

export const operationSchema = z.strictObject({ access: accessSchema.optional() });
export const deleteOperationSchema = z.strictObject({
  access: accessSchema.optional(),
  mode: z.enum(['soft', 'hard']).optional(),
});
