/** The public surface of the Atlas client: import from here, not from the modules behind it. */
export type { Authenticator } from './auth/authenticator.ts';
export type { ApiKeyCredentials, AtlasCredentials, ServiceAccountCredentials } from './auth/credentials.ts';
export { TokenCache } from './auth/service-account.ts';
export { AtlasClient, type AtlasClientOptions } from './client.ts';
export { type AtlasConnection, AtlasConnectionError } from './connection.ts';
export { type CallOptions, deadlineFromLambdaContext } from './deadline.ts';
export {
  AtlasApiError,
  AtlasAuthError,
  AtlasDeadlineError,
  AtlasError,
  AtlasNetworkError,
  AtlasResponseError,
  AtlasValidationError,
  type FieldProblem,
  hasAtlasErrorCode,
  isCredentialRejection,
  isRetryableAtlasError,
  PERMISSION_DENIED_401_CODES,
} from './errors.ts';
export {
  type AtlasCallStats,
  AtlasHttp,
  type AtlasHttpOptions,
  type AtlasLogger,
  DEFAULT_BASE_URL,
  type PageOptions,
} from './http.ts';
export { type ApiVersion, atlasMediaType, defineOperation, type Operation, type Page } from './operation.ts';
export type { RetryPolicy } from './retry.ts';
export { createAtlasDispatcher, sharedDispatcher, type TransportOptions } from './transport.ts';
