/**
 * The core of the Atlas client: turns an operation and its params into HTTP requests, with auth, the
 * operation's exact version, retries with backoff, a per-call deadline, Atlas errors and pagination.
 * Resource modules (resources/) declare operations; this module is the only one that talks HTTP.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Authenticator } from './auth/authenticator.ts';
import { type AtlasCredentials, createAuthenticator } from './auth/credentials.ts';
import type { TokenCache } from './auth/service-account.ts';
import { type CallOptions, resolveDeadline, sleep } from './deadline.ts';
import {
  AtlasApiError,
  AtlasAuthError,
  AtlasDeadlineError,
  AtlasError,
  AtlasNetworkError,
  AtlasResponseError,
  isCredentialRejection,
} from './errors.ts';
import { atlasMediaType, type Operation, type Page } from './operation.ts';
import { pageQuery, type QueryValue, requestPath } from './request-path.ts';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from './retry.ts';
import { KeyedSerialQueue } from './serial-queue.ts';
import { sharedDispatcher } from './transport.ts';
import { type Dispatcher, errors as undiciErrors } from './undici.ts';
import { parseInput } from './validation.ts';

// Kept here too: callers built before the path helpers had their own module import them from this one.
export { pageQuery, type QueryValue, requestPath };

export const DEFAULT_BASE_URL = 'https://cloud.mongodb.com';
const API_PREFIX = '/api/atlas/v2';
const USER_AGENT = 'atlas-ops/0.1 (+https://github.com/atlas-ops)';

/** The subset of a logger the client uses; Powertools' `Logger` fits, and so does `console`. */
export interface AtlasLogger {
  debug(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

let defaultLogger: AtlasLogger | undefined;

/** Powertools' JSON logger (level from `POWERTOOLS_LOG_LEVEL`, default INFO), made on first use. */
function powertoolsLogger(): AtlasLogger {
  if (!defaultLogger) defaultLogger = new Logger({ serviceName: 'atlas-ops' });
  return defaultLogger;
}

export interface AtlasHttpOptions {
  credentials: AtlasCredentials;
  /** Default `https://cloud.mongodb.com` (Atlas for Government and the simulator differ). */
  baseUrl?: string;
  /** Default: the process-wide keep-alive Agent (transport.ts). Tests pass a `MockAgent`. */
  dispatcher?: Dispatcher;
  /** Where deprecation warnings and per-request debug lines go. Default: a Powertools Logger. */
  logger?: AtlasLogger;
  retry?: Partial<RetryPolicy>;
  /** Source of jitter, for tests. */
  random?: () => number;
  /** Default: the process-wide token cache. */
  tokenCache?: TokenCache;
  userAgent?: string;
  /**
   * The largest response body read, in bytes; a larger one fails the call. Default 32 MiB: a full page of
   * 500 clusters is a few MB, and a Lambda's memory is not a place for an unbounded answer.
   */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Counters a worker can publish as metrics. */
export interface AtlasCallStats {
  /** HTTP requests sent to the API (token requests not included). */
  requests: number;
  /** Requests repeated after a retryable failure. */
  retries: number;
  /** Responses with status 429. */
  throttled: number;
}

/** Per-call options for list operations. */
export interface PageOptions extends CallOptions {
  /** Items per page, 1–500. Default 500 (the fewest calls). */
  itemsPerPage?: number;
  /** Safety stop against a server that never ends a list. Default 10 000. */
  maxPages?: number;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** What the client needs to know of an operation once its params are checked. */
type OperationInfo = Pick<Operation<unknown, unknown>, 'name' | 'method' | 'version' | 'retrySafe'>;

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function isPage<T>(value: unknown): value is Page<T> {
  return typeof value === 'object' && value !== null && Array.isArray((value as Page<T>).results);
}

/** What identifies a page's contents cheaply: its length and its first and last items. */
function pageSignature(results: readonly unknown[]): string | undefined {
  if (results.length === 0) return undefined;
  return `${results.length}:${JSON.stringify(results[0])}:${JSON.stringify(results.at(-1))}`;
}

export class AtlasHttp {
  readonly baseUrl: string;
  readonly stats: AtlasCallStats = { requests: 0, retries: 0, throttled: 0 };
  readonly #auth: Authenticator;
  readonly #dispatcher: Dispatcher;
  readonly #logger: AtlasLogger;
  readonly #retry: RetryPolicy;
  readonly #random: () => number;
  readonly #userAgent: string;
  readonly #maxResponseBytes: number;
  readonly #serial = new KeyedSerialQueue();
  readonly #deprecationsWarned = new Set<string>();

  constructor(options: AtlasHttpOptions) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#dispatcher = options.dispatcher ?? sharedDispatcher();
    this.#auth = createAuthenticator(options.credentials, {
      baseUrl: this.baseUrl,
      dispatcher: this.#dispatcher,
      tokenCache: options.tokenCache,
    });
    this.#logger = options.logger ?? powertoolsLogger();
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#random = options.random ?? Math.random;
    this.#userAgent = options.userAgent ?? USER_AGENT;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** Which kind of credentials this client authenticates with. */
  get authKind(): Authenticator['kind'] {
    return this.#auth.kind;
  }

  /** Runs one operation and returns its parsed response (`undefined` for an empty one). */
  async call<P, R>(operation: Operation<P, R>, params: P, options: CallOptions = {}): Promise<R> {
    const valid = parseInput(operation.name, operation.params, params);
    const run = () => this.#execute(operation, valid, options, {}) as Promise<R>;
    return operation.serialiseBy ? this.#serial.run(operation.serialiseBy(valid), run) : run();
  }

  /**
   * Every item of a list operation, page by page. Stops on a short page only: neither a missing `next` link
   * nor `totalCount` (an estimate, absent with `includeCount=false`) ends the list. Fails on a page without a
   * `results` array and on a page that repeats the one before (a server that ignores `pageNum`).
   */
  async *paginate<P, T>(
    operation: Operation<P, Page<T>>,
    params: P,
    options: PageOptions = {},
  ): AsyncGenerator<T> {
    const valid = parseInput(operation.name, operation.params, params);
    const itemsPerPage = options.itemsPerPage ?? 500;
    if (!Number.isInteger(itemsPerPage) || itemsPerPage < 1 || itemsPerPage > 500) {
      throw new RangeError(`itemsPerPage must be a whole number from 1 to 500, got ${itemsPerPage}`);
    }
    const maxPages = options.maxPages ?? 10_000;
    // The deadline covers the whole list, not each page.
    const deadline = resolveDeadline(options);
    const pageOptions: CallOptions = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(deadline === undefined ? {} : { deadline }),
    };
    let previous: string | undefined;
    for (let pageNum = 1; pageNum <= maxPages; pageNum++) {
      const page = await this.#execute(operation, valid, pageOptions, pageQuery(pageNum, itemsPerPage));
      // An answer without `results` is not an empty list: reading it as one would make every item vanish.
      if (!isPage<T>(page)) {
        throw new AtlasResponseError(`${operation.name} page ${pageNum} has no results array; stopped`);
      }
      const { results } = page;
      // A server that ignores pageNum answers page 1 again, forever: stop before repeating items. Legitimate
      // pages never start and end with the same items as the page before, even when items shift meanwhile.
      const signature = pageSignature(results);
      if (signature !== undefined && signature === previous) {
        throw new AtlasResponseError(
          `${operation.name} page ${pageNum} repeats page ${pageNum - 1}: the server ignores pageNum; stopped`,
        );
      }
      previous = signature;
      yield* results;
      // Only a short page ends a list. A full page without a `next` link is not trusted to be the last one:
      // with includeCount=false Atlas is not documented to send links (reference/atlas-api.md, Addendum 2).
      if (results.length < itemsPerPage) return;
    }
    throw new AtlasResponseError(`${operation.name} returned more than ${maxPages} pages; stopped`);
  }

  /** Every item of a list operation, collected into one array. */
  async listAll<P, T>(operation: Operation<P, Page<T>>, params: P, options: PageOptions = {}): Promise<T[]> {
    return Array.fromAsync(this.paginate(operation, params, options));
  }

  /** Revokes the service-account token this client holds (CLI runs); a no-op for API keys. */
  async revoke(signal?: AbortSignal): Promise<void> {
    await this.#auth.revoke(signal);
  }

  async #execute<P>(
    operation: Operation<P, unknown>,
    params: P,
    options: CallOptions,
    extraQuery: Record<string, QueryValue>,
  ): Promise<unknown> {
    const path = requestPath(operation, params, extraQuery);
    const deadline = resolveDeadline(options);
    let retries = 0;
    let reauthenticated = false;
    for (;;) {
      throwIfOutOfTime(options.signal, deadline, operation.method, path);
      let failure: AtlasError;
      try {
        const response = await this.#send(operation, params, path, options.signal, deadline);
        if (response.status < 300) return this.#parseSuccess(operation, path, response);
        const apiError = toApiError(operation.method, path, response);
        // A permission 401 (NOT_IN_GROUP, …) is not a stale token: a new one would be refused the same way.
        if (response.status === 401 && !reauthenticated && isCredentialRejection(apiError)) {
          const retryAuth = this.#auth.onUnauthorized(
            headerValue(response.headers['www-authenticate']),
            response.usedAuthorization,
          );
          if (retryAuth) {
            reauthenticated = true;
            continue;
          }
        }
        failure = apiError;
        if (response.status === 429) this.stats.throttled += 1;
      } catch (error) {
        if (!(error instanceof AtlasError)) throw error;
        failure = error;
      }
      retries += 1;
      if (!this.#mayRetry(operation, failure) || retries >= this.#retry.maxAttempts) throw failure;
      const delay = backoffDelayMs(retries, this.#retry, retryAfterOf(failure), this.#random);
      // A wait longer than the caller sleeps in process (a long Retry-After) is handed back to the caller,
      // which knows a better place to wait: a queue's visibility timeout, or the next scheduled run.
      if (delay > this.#retry.maxWaitMs) throw failure;
      if (deadline !== undefined && Date.now() + delay >= deadline) {
        throw new AtlasDeadlineError(operation.method, path, { cause: failure });
      }
      this.#logger.debug('Atlas call will be retried', {
        operation: operation.name,
        path,
        attempt: retries,
        delayMs: delay,
        error: failure.message,
      });
      this.stats.retries += 1;
      await sleep(delay, options.signal);
    }
  }

  /** Whether repeating the operation after `failure` is safe and useful. */
  #mayRetry(operation: OperationInfo, failure: AtlasError): boolean {
    if (!failure.isRetryable) return false;
    // A token request has no side effect, and a 429 means Atlas did nothing: both are safe for any method.
    if (failure instanceof AtlasAuthError) return true;
    if (failure instanceof AtlasApiError && failure.isRateLimited) return true;
    if (failure instanceof AtlasNetworkError && !failure.requestMayHaveBeenProcessed) return true;
    return IDEMPOTENT_METHODS.has(operation.method) || operation.retrySafe === true;
  }

  async #send<P>(
    operation: Operation<P, unknown>,
    params: P,
    path: string,
    callerSignal: AbortSignal | undefined,
    deadline: number | undefined,
  ): Promise<Response & { usedAuthorization: string | undefined }> {
    const timeout =
      deadline === undefined ? undefined : AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    const signals = [callerSignal, timeout].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    const fullPath = `${API_PREFIX}${path}`;
    const mediaType = atlasMediaType(operation.version);
    let authorization: string | undefined;
    try {
      authorization = await this.#auth.authorization({ method: operation.method, path: fullPath, signal });
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout?.aborted) throw new AtlasDeadlineError(operation.method, path, { cause: error });
      throw error;
    }
    const body = operation.body ? JSON.stringify(operation.body(params)) : undefined;
    const headers: Record<string, string> = {
      accept: mediaType,
      'user-agent': this.#userAgent,
      ...operation.headers,
    };
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = mediaType;
    const started = Date.now();
    this.stats.requests += 1;
    try {
      const response = await this.#dispatcher.request({
        origin: this.baseUrl,
        path: fullPath,
        method: operation.method,
        headers,
        body,
        signal,
      });
      const text = await readBody(response.body, this.#maxResponseBytes, () => {
        throw new AtlasResponseError(
          `Atlas ${operation.method} ${path} answered with more than ${this.#maxResponseBytes} bytes; not read`,
        );
      });
      this.#logger.debug('Atlas request', {
        operation: operation.name,
        method: operation.method,
        path,
        status: response.statusCode,
        durationMs: Date.now() - started,
      });
      this.#warnIfDeprecated(operation, response.headers);
      return {
        status: response.statusCode,
        headers: response.headers,
        text,
        usedAuthorization: authorization,
      };
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout?.aborted) throw new AtlasDeadlineError(operation.method, path);
      if (error instanceof AtlasError) throw error;
      throw new AtlasNetworkError(errorCode(error), operation.method, path, (error as Error).message);
    }
  }

  #parseSuccess(operation: OperationInfo, path: string, response: Response): unknown {
    if (response.text.trim() === '') return undefined;
    try {
      return JSON.parse(response.text);
    } catch {
      throw new AtlasResponseError(
        `Atlas ${operation.method} ${path} answered ${response.status} with a body that is not JSON`,
      );
    }
  }

  #warnIfDeprecated(operation: OperationInfo, headers: Response['headers']): void {
    const deprecation = headerValue(headers.deprecation);
    const sunset = headerValue(headers.sunset);
    if (deprecation === undefined && sunset === undefined) return;
    const key = `${operation.name} ${operation.version}`;
    if (this.#deprecationsWarned.has(key)) return;
    this.#deprecationsWarned.add(key);
    this.#logger.warn('Atlas API version is deprecated', {
      operation: operation.name,
      version: operation.version,
      deprecation,
      sunset,
    });
  }
}

function throwIfOutOfTime(
  signal: AbortSignal | undefined,
  deadline: number | undefined,
  method: string,
  path: string,
) {
  if (signal?.aborted) throw signal.reason;
  if (deadline !== undefined && Date.now() >= deadline) throw new AtlasDeadlineError(method, path);
}

/** The body as text, failing through `tooLarge` (after dropping the connection's rest) past `maxBytes`. */
async function readBody(
  body: AsyncIterable<Uint8Array> & { destroy(): unknown },
  maxBytes: number,
  tooLarge: () => never,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      body.destroy();
      tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(error: unknown): string {
  if (error instanceof undiciErrors.UndiciError) return error.code;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

function retryAfterOf(failure: AtlasError): number | undefined {
  return failure instanceof AtlasApiError || failure instanceof AtlasAuthError
    ? failure.retryAfterMs
    : undefined;
}

/** Reads Atlas's `ApiError` body; a body that is not one (an HTML page from a proxy) still gives a useful error. */
function toApiError(method: string, path: string, response: Response): AtlasApiError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.text);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: keep the first line of the text as the detail.
  }
  const text = (s: unknown) => (typeof s === 'string' ? s : undefined);
  const fallbackDetail = response.text.trim().split('\n')[0]?.slice(0, 200) || undefined;
  const errorCode = text(body.errorCode) ?? `HTTP_${response.status}`;
  const parameters = Array.isArray(body.parameters) ? body.parameters : undefined;
  return new AtlasApiError({
    status: response.status,
    errorCode,
    reason: text(body.reason),
    detail: text(body.detail) ?? (errorCode.startsWith('HTTP_') ? fallbackDetail : undefined),
    parameters,
    badRequestDetail: body.badRequestDetail as AtlasApiError['badRequestDetail'],
    method,
    path,
    retryAfterMs:
      parseRetryAfter(headerValue(response.headers['retry-after'])) ??
      retryAfterFromParameters(errorCode, parameters),
  });
}

/** Atlas's token-bucket 429 names its wait in `parameters[1]` (seconds) even where a proxy drops the header. */
function retryAfterFromParameters(errorCode: string, parameters: unknown[] | undefined): number | undefined {
  const seconds = errorCode.startsWith('RATE_LIMITED') ? parameters?.[1] : undefined;
  return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
}
