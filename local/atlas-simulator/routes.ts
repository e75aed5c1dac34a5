/**
 * How a handler module declares what it serves: method, path pattern, the resource's versions, the rate
 * limit bucket it draws from, and zod schemas for path, query and body that the server checks first.
 */
import type { z } from 'zod';
import type { FaultScript, HandlerAction } from './faults.ts';
import type { IdGenerator, SimState } from './state.ts';
import type { ResourceVersion } from './versions.ts';

/** Endpoint sets of Atlas's rate limiting (reference/atlas-api.md §6), each with its scope. */
export type EndpointSet =
  | 'clusters'
  | 'clusters-user'
  | 'projects-user'
  | 'projects'
  | 'organizations-user'
  | 'organizations'
  | 'cloud-users-group'
  | 'cloud-users-org'
  | 'network-peering'
  | 'online-archive'
  | 'project-access-list'
  | 'service-accounts-org'
  | 'global-clusters'
  | 'database-users'
  | 'cloud-backup';

/** Who is calling: a service account or an API key, of one organization. */
export interface Principal {
  kind: 'service-account' | 'api-key';
  /** The client id or public key. */
  id: string;
  orgId: string;
}

export interface SimulatorSettings {
  /** How long a new peering stays in each early status before moving on. */
  peeringTransitionMs: number;
  /** How long a cluster stays UPDATING after a pause or a resume. */
  clusterTransitionMs: number;
  /** How long an on-demand snapshot stays `queued`, then `inProgress`, before it is `completed`. */
  snapshotTransitionMs: number;
}

export interface RouteContext<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  state: SimState;
  /** Path parameters, decoded and checked by `route.params`. */
  params: P;
  /** Query parameters checked by `route.query` (raw values stay in `url.searchParams`). */
  query: Q;
  /** The JSON body checked by `route.body`. */
  body: B;
  url: URL;
  /** The resolved version date of the resource (e.g. `2024-08-05`). */
  version: string;
  principal: Principal;
  /** Source address of the request. */
  sourceIp: string;
  now: number;
  ids: IdGenerator;
  settings: SimulatorSettings;
  /**
   * Takes the scripted fault with this action that matches the call, if any (the handler decides when: a
   * call it refuses should leave the script for the next one).
   */
  fault(action: HandlerAction): FaultScript | undefined;
}

/** What a handler returns: a body, or a `list` the server pages (itemsPerPage/pageNum/links/totalCount). */
export type RouteResult = { status: number; body?: unknown } | { status: number; list: unknown[] };

export interface Route<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** After `/api/atlas/v2`, with `{name}` segments. */
  path: string;
  versions: readonly ResourceVersion[];
  endpointSet: EndpointSet;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** When set, a JSON body is required and checked. */
  body?: z.ZodType<B>;
  handle(context: RouteContext<P, Q, B>): RouteResult;
}

/** Declares a route; the identity function that lets TypeScript infer the schema types for `handle`. */
export function defineRoute<P, Q, B>(route: Route<P, Q, B>): Route<P, Q, B> {
  return route;
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of every parameter type.
export type AnyRoute = Route<any, any, any>;

/**
 * One segment of a pattern: a literal, a `{name}` parameter, or a parameter with a literal suffix, the form of
 * Atlas's custom methods (`{userId}:addRole`).
 */
function parseSegment(segment: string): { param?: string; literal: string } {
  const match = /^\{(\w+)\}(.*)$/.exec(segment);
  return match ? { param: match[1] ?? '', literal: match[2] ?? '' } : { literal: segment };
}

/** Whether a pattern names a custom method (a segment such as `{userId}:addRole`). */
export function isCustomMethod(pattern: string): boolean {
  return pattern.split('/').some((segment) => {
    const parsed = parseSegment(segment);
    return parsed.param !== undefined && parsed.literal !== '';
  });
}

/** Matches `path` against a pattern; returns the decoded parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = parseSegment(patternParts[i] ?? '');
    const actual = pathParts[i] ?? '';
    if (expected.param === undefined) {
      if (expected.literal !== actual) return undefined;
      continue;
    }
    if (!actual.endsWith(expected.literal)) return undefined;
    const raw = actual.slice(0, actual.length - expected.literal.length);
    if (raw === '') return undefined;
    try {
      params[expected.param] = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return params;
}
