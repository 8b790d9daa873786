/**
 * @module quickback/errors
 * The generated API's error vocabulary and its one error type. Every error response, 401 and 404
 * included, has the body `{ error, layer, code, details?, hint? }`; nothing else ever renders one.
 */
export type ErrorLayer =
  | 'authentication'
  | 'firewall'
  | 'access'
  | 'guards'
  | 'validation'
  | 'masking'
  | 'database'
  | 'storage'
  | 'routing'
  | 'configuration'
  | 'encryption'
  | 'internal';

export const apiErrorCodes = {
  AUTH_MISSING: { status: 401, layer: 'authentication', error: 'Authentication required' },
  AUTH_INVALID_TOKEN: { status: 401, layer: 'authentication', error: 'Invalid credentials' },
  AUTH_EXPIRED: { status: 401, layer: 'authentication', error: 'Credentials expired' },
  AUTH_RATE_LIMITED: { status: 429, layer: 'authentication', error: 'Too many requests' },
  AUTH_SERVICE_UNAVAILABLE: {
    status: 503,
    layer: 'authentication',
    error: 'The auth service did not answer as expected',
  },
  ORG_REQUIRED: { status: 400, layer: 'firewall', error: 'An active organization is required' },
  TEAM_REQUIRED: { status: 400, layer: 'firewall', error: 'An active team is required' },
  FIREWALL_NOT_FOUND: { status: 403, layer: 'firewall', error: 'Record not found or not accessible' },
  NOT_FOUND: { status: 404, layer: 'firewall', error: 'Not found' },
  ACCESS_ROLE_REQUIRED: { status: 403, layer: 'access', error: 'Your role does not allow this' },
  ACCESS_CONDITION_FAILED: { status: 403, layer: 'access', error: 'Access conditions not met for this record' },
  ACCESS_CROSS_TENANT_FORBIDDEN: {
    status: 403,
    layer: 'access',
    error: 'Only platform admins may address another organization',
  },
  ACCESS_ADMIN_REQUIRED: { status: 403, layer: 'access', error: 'This action is for platform admins' },
  ACCESS_ACTION_NOT_ALLOWED_FOR_STATE: {
    status: 409,
    layer: 'access',
    error: 'The record is not in a state this action applies to',
  },
  ACCESS_TRANSITION_LOST: { status: 409, layer: 'access', error: 'The record changed state while the action ran' },
  ACCESS_AUDIT_LOG_FAILED: {
    status: 503,
    layer: 'access',
    error: 'The audit log could not be written, so the action did not run',
  },
  GUARD_SYSTEM_MANAGED: { status: 400, layer: 'guards', error: 'Fields are managed by the server' },
  GUARD_FIELD_PROTECTED: { status: 400, layer: 'guards', error: 'Fields can only be changed through actions' },
  GUARD_FIELD_IMMUTABLE: { status: 400, layer: 'guards', error: 'Fields cannot be changed after creation' },
  GUARD_FIELD_NOT_CREATEABLE: { status: 400, layer: 'guards', error: 'Fields cannot be set on create' },
  GUARD_FIELD_NOT_UPDATABLE: { status: 400, layer: 'guards', error: 'Fields cannot be updated' },
  PRECONDITION_FAILED: {
    status: 412,
    layer: 'validation',
    error: "The record does not match the request's If-Match / If-None-Match",
  },
  VALIDATION_FAILED: { status: 400, layer: 'validation', error: 'The request is not valid' },
  VIEW_REQUIRED: { status: 400, layer: 'validation', error: 'This list needs a view' },
  VIEW_NOT_FOUND: { status: 400, layer: 'validation', error: 'No such view' },
  BATCH_SIZE_EXCEEDED: { status: 400, layer: 'validation', error: 'Too many records in one batch' },
  BATCH_MISSING_IDS: { status: 400, layer: 'validation', error: 'Every record of a batch update needs its id' },
  BATCH_FAIL_FAST_STOPPED: {
    status: 400,
    layer: 'validation',
    error: 'The batch stopped at the first failure; nothing was written',
  },
  INVALID_JSON: { status: 400, layer: 'validation', error: 'The request body is not valid JSON' },
  PAYLOAD_TOO_LARGE: { status: 413, layer: 'validation', error: 'The request body is too large' },
  REQUEST_TIMEOUT: { status: 408, layer: 'validation', error: 'The request body did not arrive in time' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, layer: 'validation', error: 'The request body must be application/json' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, layer: 'validation', error: 'The Idempotency-Key header is not valid' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    layer: 'validation',
    error: 'This Idempotency-Key was used for a different request',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    layer: 'validation',
    error: 'A request with this Idempotency-Key is still being processed',
  },
  IDEMPOTENCY_KEY_INTERRUPTED: {
    status: 409,
    layer: 'validation',
    error: 'The request with this Idempotency-Key was interrupted before its response was stored',
  },
  UNIQUE_VIOLATION: { status: 409, layer: 'database', error: 'A record with this value already exists' },
  NOT_NULL_VIOLATION: { status: 400, layer: 'database', error: 'A required value is missing' },
  FOREIGN_KEY_VIOLATION: {
    status: 409,
    layer: 'database',
    error: 'A referenced record does not exist or is still referenced',
  },
  ROUTE_NOT_FOUND: { status: 404, layer: 'routing', error: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, layer: 'routing', error: 'Method not allowed on this route' },
  ENCRYPTED_VALUE_UNREADABLE: {
    status: 500,
    layer: 'encryption',
    error: 'A stored encrypted value cannot be decrypted',
  },
  ENCRYPTION_KEY_UNAVAILABLE: {
    status: 503,
    layer: 'encryption',
    error: "The organization's data key cannot be opened with the configured ENCRYPTION_KEK",
  },
  MISSING_ENV: { status: 503, layer: 'configuration', error: 'The server is missing required configuration' },
  EMAIL_NOT_CONFIGURED: { status: 503, layer: 'configuration', error: 'Email is not configured' },
  DATABASE_ROLE_UNSAFE: {
    status: 503,
    layer: 'database',
    error: 'The database role API queries run as would bypass row level security',
  },
  DATABASE_UNAVAILABLE: { status: 503, layer: 'database', error: 'The database cannot be reached' },
  DATABASE_NOT_FOUND: { status: 503, layer: 'database', error: 'The database does not exist' },
  STORAGE_UNAVAILABLE: { status: 503, layer: 'storage', error: 'The session and rate-limit store cannot be reached' },
  DATABASE_MIGRATIONS_PENDING: {
    status: 503,
    layer: 'database',
    error: 'The database is behind the migrations this app ships',
  },
  ACCESS_DENIED_BY_DATABASE: { status: 403, layer: 'access', error: "The database's row level security refused this" },
  INTERNAL_SERVER_ERROR: { status: 500, layer: 'internal', error: 'Internal server error' },
} as const satisfies Record<string, { status: number; layer: ErrorLayer; error: string }>;

export type ApiErrorCode = keyof typeof apiErrorCodes;

export interface ApiErrorBody {
  error: string;
  layer: ErrorLayer;
  code: ApiErrorCode;
  details?: Record<string, unknown>;
  hint?: string;
}

const BRAND = Symbol.for('quickback:api-error');

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;
  readonly hint?: string;

  constructor(
    code: ApiErrorCode,
    options: { message?: string; details?: Record<string, unknown>; hint?: string } = {},
  ) {
    super(options.message ?? apiErrorCodes[code].error);
    this.code = code;
    this.status = apiErrorCodes[code].status;
    this.details = options.details;
    this.hint = options.hint;
    Object.defineProperty(this, BRAND, { value: true });
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { error: this.message, layer: apiErrorCodes[this.code].layer, code: this.code };
    if (this.details !== undefined) body.details = this.details;
    if (this.hint !== undefined) body.hint = this.hint;
    return body;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export function apiError(code: ApiErrorCode, options?: ConstructorParameters<typeof ApiError>[1]): ApiError {
  return new ApiError(code, options);
}
