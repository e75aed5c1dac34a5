/** Atlas's error responses (`ApiError`), thrown by handlers and written by the server. */

export interface FieldViolation {
  field: string;
  description: string;
}

/** An error Atlas would answer with; the server turns it into the `ApiError` JSON body. */
export class SimError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly detail: string;
  readonly parameters: unknown[];
  readonly badRequestDetail: { fields: FieldViolation[] } | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    errorCode: string,
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
export function notFound(errorCode: string, detail: string, parameters: unknown[] = []): SimError {
  return new SimError(404, errorCode, detail, { parameters });
}

/** 400 VALIDATION_ERROR naming each bad field. */
export function validationError(fields: FieldViolation[]): SimError {
  const list = fields.map((f) => `${f.field}: ${f.description}`).join('; ');
  return new SimError(400, 'VALIDATION_ERROR', `Request is invalid: ${list}`, { fields });
}
