/**
 * Atlas's error responses (`ApiError`), thrown by handlers and written by the server.
 *
 * `ERROR_CODES` is every `errorCode` the simulator can answer with on its own, and the statuses it uses
 * each with. The docs/simulator.md section has the same table with each code's source (Atlas's
 * error-code page, an official client's file, or "assumed"), and a test keeps the two and the code in step.
 */

export interface FieldViolation {
  field: string;
  description: string;
}

export const ERROR_CODES = {
  ATLAS_INVALID_AUTH_SETTINGS: [400],
  ATLAS_INVALID_ROLE: [400],
  ATLAS_INVALID_ROLE_DATABASE: [400],
  ATLAS_INVALID_USERNAME: [400],
  ATLAS_MANAGED_X509_NAME_INVALID: [400],
  ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND: [404],
  ATLAS_X509_USER_CANNOT_BE_TEMPORARY: [400],
  ATLAS_X509_USER_CANNOT_USE_LDAP: [400],
  ATLAS_X509_USER_CANNOT_USE_SCRAM: [400],
  AUTH_TYPE_CANNOT_BE_CHANGED: [409],
  BACKUP_JOB_NOT_FOUND: [400],
  BAD_GATEWAY: [502],
  CANNOT_PAUSE_CLUSTER_WITH_PENDING_CHANGES: [409],
  CANNOT_PAUSE_RECENTLY_RESUMED_CLUSTER: [400],
  CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST: [400],
  CANNOT_REMOVE_LAST_ROLE: [400],
  CANNOT_UPDATE_AND_PAUSE_CLUSTER: [409],
  CANNOT_UPDATE_PAUSED_CLUSTER: [409],
  CANNOT_USE_AWS_SECURITY_GROUP_WITHOUT_VPC_PEERING_CONNECTION: [400],
  CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API: [400],
  CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API: [400],
  CLOUD_PROVIDER_CONTAINER_NOT_FOUND: [404],
  CLUSTER_ALREADY_PAUSED: [409],
  CLUSTER_CANNOT_CHANGE_NAME: [400],
  CLUSTER_NOT_FOUND: [404],
  DATABASE_NAME_CANNOT_BE_CHANGED: [409],
  DATABASE_NAME_INVALID_ADMIN: [400],
  DATABASE_NAME_INVALID_EXTERNAL: [400],
  DATABASE_USERNAME_CANNOT_BE_CHANGED: [409],
  DUPLICATE_ADDRESSES_IN_INPUT: [400],
  DUPLICATE_DATABASE_ROLES: [400],
  DUPLICATE_MANAGED_NAMESPACE: [400],
  EXPIRATION_DATE_EXCEEDS_MAX: [400],
  EXPIRATION_DATE_IN_PAST: [400],
  GATEWAY_TIMEOUT: [504],
  GROUP_MISMATCH: [400],
  GROUP_NOT_FOUND: [404],
  GROUP_USERS_LIMIT_EXCEEDED: [403],
  INVALID_ATTRIBUTE: [400],
  INVALID_INVITATION_ID: [400],
  INVALID_JSON: [400],
  INVALID_LOCATION_CODE: [400],
  INVALID_NETWORK_PERMISSION_COMMENT: [400],
  INVALID_ROLE_FOR_GROUP: [400],
  INVALID_ROUTE_TABLE_CIDR: [400],
  INVALID_VERSION_DATE: [406],
  INVALID_ZONE_NAME: [400],
  IP_ADDRESS_NOT_ON_ACCESS_LIST: [403],
  MALFORMED_JSON: [400],
  MANAGED_NAMESPACE_NOT_FOUND: [404],
  METHOD_NOT_ALLOWED: [405],
  MISSING_ATTRIBUTE: [400],
  MISSING_ONE_OF_THREE_ATTRIBUTES: [400],
  MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY: [400],
  NETWORK_PERMISSION_EXPIRATION_NOT_SUPPORTED: [400],
  NOT_GLOBAL_CLUSTER: [400],
  NOT_IN_GROUP: [401],
  ORG_NOT_FOUND: [404],
  OVERLAPPING_ATLAS_CIDR_BLOCK: [409],
  PEER_ALREADY_EXISTS: [409],
  PEER_ALREADY_EXISTS_AZURE: [409],
  PEER_ALREADY_EXISTS_GCP: [409],
  PEER_ALREADY_REQUESTED_DELETION: [409],
  PEER_NOT_FOUND: [404],
  RATE_LIMITED_TOKEN_BUCKET: [429],
  REQUEST_TOO_LARGE: [413],
  RESOURCE_NOT_FOUND: [404],
  /** A scripted fault's status that has no code of its own (any 4xx or 5xx). */
  SCRIPTED_ERROR: [],
  SERVICE_ACCOUNT_ACCESS_LIST_ENTRY_NOT_FOUND: [404],
  SERVICE_ACCOUNT_NOT_FOUND: [404],
  SERVICE_UNAVAILABLE: [503],
  TENANT_CLUSTER_UPDATE_UNSUPPORTED: [400],
  UNAUTHORIZED: [401],
  UNEXPECTED_ERROR: [401, 500],
  UNFINISHED_ON_DEMAND_SNAPSHOT: [400],
  UNSUPPORTED_MEDIA_TYPE: [415],
  USERNAME_NOT_FOUND: [404],
  USER_ALREADY_EXISTS: [409],
  USER_ALREADY_IN_GROUP: [409],
  USER_CANNOT_ACCESS_ORG: [401],
  USER_NOT_FOUND: [404],
  VALIDATION_ERROR: [400],
  VERSION_GONE: [410],
} as const satisfies Record<string, readonly number[]>;

/** An `errorCode` the simulator answers with (see `ERROR_CODES`). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error Atlas would answer with; the server turns it into the `ApiError` JSON body. */
export class SimError extends Error {
  readonly status: number;
  /** One of `ERROR_CODES`, or the code a scripted fault names. */
  readonly errorCode: string;
  readonly detail: string;
  readonly parameters: unknown[];
  readonly badRequestDetail: { fields: FieldViolation[] } | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    errorCode: ErrorCode,
    detail: string,
    extra: { parameters?: unknown[]; fields?: FieldViolation[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    this.errorCode = errorCode;
    this.detail = detail;
    this.parameters = extra.parameters ?? [];
    this.badRequestDetail = extra.fields ? { fields: extra.fields } : undefined;
    this.headers = extra.headers ?? {};
  }

  /** A fault script's error: its status and code are whatever the script says. */
  static scripted(
    status: number,
    errorCode: string,
    detail: string,
    extra: { parameters?: unknown[]; headers?: Record<string, string> } = {},
  ): SimError {
    const error = new SimError(status, 'SCRIPTED_ERROR', detail, extra);
    (error as { errorCode: string }).errorCode = errorCode;
    return error;
  }

  /** The JSON body Atlas sends. */
  toBody(): Record<string, unknown> {
    return {
      detail: this.detail,
      error: this.status,
      errorCode: this.errorCode,
      parameters: this.parameters,
      reason: REASONS[this.status] ?? 'Error',
      ...(this.badRequestDetail ? { badRequestDetail: this.badRequestDetail } : {}),
    };
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** 404 for a resource that does not exist, with Atlas's specific code where it has one. */
export function notFound(errorCode: ErrorCode, detail: string, parameters: unknown[] = []): SimError {
  return new SimError(404, errorCode, detail, { parameters });
}

/** 400 with Atlas's code for a rule the request breaks, naming the field in `badRequestDetail` when given. */
export function badRequest(
  errorCode: ErrorCode,
  detail: string,
  extra: { parameters?: unknown[]; field?: string; description?: string } = {},
): SimError {
  const { parameters = [], field, description } = extra;
  return new SimError(400, errorCode, detail, {
    parameters,
    ...(field === undefined ? {} : { fields: [{ field, description: description ?? detail }] }),
  });
}

/** 400 VALIDATION_ERROR naming each bad field. */
export function validationError(fields: FieldViolation[]): SimError {
  const list = fields.map((f) => `${f.field}: ${f.description}`).join('; ');
  return new SimError(400, 'VALIDATION_ERROR', `Request is invalid: ${list}`, { fields });
}
