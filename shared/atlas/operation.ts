import type * as z from '../config/zod.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** An Atlas API release date (`YYYY-MM-DD`), sent in the versioned media type. */
export type ApiVersion = `${number}-${number}-${number}`;

/** One page of an Atlas list (`Paginated…View`). */
export interface Page<T> {
  results: T[];
  links?: { href: string; rel: string }[];
  /** An estimate, and absent with `includeCount=false`: never the only reason to stop paging. */
  totalCount?: number;
}

/**
 * One Atlas Administration API operation, declared as data: what it sends, which version, and whether it
 * is safe to repeat. `Params` is what callers pass (validated by `params` before any request); `Result` is
 * the parsed response body (`undefined` for 204).
 */
export interface Operation<Params, Result> {
  /** The spec's operation name, for logs and errors. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Path after `/api/atlas/v2`, with `{name}` placeholders filled (URL-encoded) from params. */
  readonly path: string;
  /** The exact dated version this operation uses (`Accept`, and `Content-Type` when there is a body). */
  readonly version: ApiVersion;
  /** Checks params before anything is sent. */
  readonly params: z.core.$ZodType<Params>;
  /** Params that go in the query string (arrays repeat the key). */
  readonly query?: readonly string[];
  /** Query parameters this operation always sends (e.g. the page size of a write that answers with a list). */
  readonly fixedQuery?: Readonly<Record<string, string | number | boolean>>;
  /** Params sent as request headers, keyed by header name. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The JSON body, built from validated params. */
  readonly body?: (params: Params) => unknown;
  /**
   * A POST or PATCH that may be repeated after a 5xx or a broken connection without a second effect
   * (set-like writes). GET, PUT and DELETE are always retried; 429 is always retried since it had no effect.
   */
  readonly retrySafe?: boolean;
  /**
   * Calls with the same key run one at a time (Atlas forbids concurrent project access-list POSTs). The queue
   * belongs to one client, so namespace keys by resource, and expect no ordering across processes.
   */
  readonly serialiseBy?: (params: Params) => string;
  /** Phantom field that carries the result type; never set. */
  readonly __result?: Result;
}

/** Declares an operation; the identity function that lets TypeScript infer `Params` and fix `Result`. */
export function defineOperation<Params, Result>(
  operation: Operation<Params, Result>,
): Operation<Params, Result> {
  return operation;
}

/** The versioned media type for an API release date. */
export function atlasMediaType(version: ApiVersion): string {
  return `application/vnd.atlas.${version}+json`;
}
