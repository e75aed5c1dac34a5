/**
 * The Atlas Administration API simulator: a stateful HTTP server on 127.0.0.1 that answers like Atlas —
 * auth (OAuth and Digest), versions, validation, pagination, rate limits, the API access list — plus a
 * control API under `/__sim/` for faults, the request log, the clock and resets.
 *
 * The clock: every time the simulator uses (token lifetimes, expiry of temporary users and access-list
 * entries, peering and pause transitions, snapshot progress, timestamps it writes) is `options.now()` (default
 * `Date.now`) plus an offset that only moves forward: `POST /__sim/clock {"advanceMs": N}` or
 * `sim.advanceClock(N)` adds N ms, `GET /__sim/clock` answers `{now, offsetMs}`, `/__sim/reset` puts the offset
 * back to 0.
 *
 * The pipeline of one API call, in Atlas's order: route → auth → API access list → rate limit → version →
 * body and parameter checks → project/org access → handler → paging, envelope, pretty.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { setTimeout as wait } from 'node:timers/promises';
import { z } from 'zod';
import { Authenticator } from './auth.ts';
import { type ErrorCode, type FieldViolation, SimError, validationError } from './errors.ts';
import {
  FaultInjector,
  type FaultScript,
  faultScriptSchema,
  PAGE_ACTIONS,
  type PageAction,
  type RequestLogEntry,
  TRANSPORT_ACTIONS,
} from './faults.ts';
import { allRoutes } from './handlers/index.ts';
import { acceptInvitation } from './handlers/invitations.ts';
import { peerStatusControl, setPeerStatus } from './handlers/network-peering.ts';
import { addressMatches } from './ipv4.ts';
import { paginate, readPageRequest } from './pagination.ts';
import { type BucketLimit, RateLimiter } from './rate-limits.ts';
import { type AnyRoute, isCustomMethod, matchPath, type Principal, type RouteResult } from './routes.ts';
import { loadSeed } from './seeds/index.ts';
import { cloneState, emptyState, IdGenerator, type SimState } from './state.ts';
import { resolveVersion, versionedContentType } from './versions.ts';

const API_PREFIX = '/api/atlas/v2';

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** `demo` (default), `large:PxC`, a path to a JSON seed file, or a ready state. */
  seed?: string | SimState;
  /** Added to every response. */
  latencyMs?: number;
  /** Share (0–1) of API calls that fail with a 500 or 503 at random. */
  faultRate?: number;
  /** Lifetime of OAuth access tokens. Default 3600 s, as Atlas. */
  tokenTtlSeconds?: number;
  /** Refuse calls from addresses that are not on the caller's API access list (403), as an org can require. */
  enforceApiAccessList?: boolean;
  /** Replaces every endpoint set's bucket numbers (tiny ones make 429s easy to meet). */
  rateLimit?: BucketLimit;
  /** How long a new peering stays INITIATING, then PENDING_ACCEPTANCE, before it is AVAILABLE. Default 2 s. */
  peeringTransitionMs?: number;
  /** How long a cluster stays UPDATING after a pause or a resume. Default 2 s. */
  clusterTransitionMs?: number;
  /** How long an on-demand snapshot stays `queued`, then `inProgress`, before it is `completed`. Default 2 s. */
  snapshotTransitionMs?: number;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock, for tests of sunset dates and expiry; the `/__sim/clock` offset is added to it. */
  now?: () => number;
  random?: () => number;
}

export interface RunningSimulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (append `/api/atlas/v2/...`). */
  url: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  publicKey: string;
  privateKey: string;
  /** The live state (tests may read it to check side effects). */
  state: SimState;
  /** The simulator's time (epoch ms): the clock option plus the offset `advanceClock` has added. */
  now(): number;
  /**
   * Moves the simulator's time forward by `ms` (what `POST /__sim/clock {"advanceMs": ms}` does) and returns
   * the new time. Tokens, temporary users and entries, transitions and snapshots all see it.
   */
  advanceClock(ms: number): number;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

interface Call {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
  sourceIp: string;
  /** The handler fault (`unlisted`) this call used, for the request log. */
  faultUsed?: string;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as is (already serialised), not as JSON. */
  raw?: boolean;
}

class BodyTooLargeError extends Error {}

/** Starts a simulator on 127.0.0.1 and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const clock = options.now ?? Date.now;
  let clockOffsetMs = 0;
  const now = () => clock() + clockOffsetMs;
  const advanceClock = (ms: number): number => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward (ms ≥ 0)');
    clockOffsetMs += ms;
    return now();
  };
  const random = options.random ?? Math.random;
  const seedSpec = options.seed ?? 'demo';
  // Built seeds are deterministic, so a reset builds the seed again instead of keeping a pristine copy. A
  // ready state from an older caller may lack newer collections: they start empty.
  const freshState = async (): Promise<SimState> => ({
    ...emptyState(),
    ...(typeof seedSpec === 'object' ? cloneState(seedSpec) : await loadSeed(seedSpec)),
  });
  const seed = await freshState();
  const primaryAccount = seed.serviceAccounts[0];
  const primaryKey = seed.apiKeys[0];
  if (!primaryAccount || !primaryKey)
    throw new Error('the seed must hold at least one service account and API key');
  const live = { state: seed };
  const ids = new IdGenerator(`run-${now()}`);
  const auth = new Authenticator({ tokenTtlSeconds: options.tokenTtlSeconds ?? 3600 });
  const limiter = new RateLimiter(options.rateLimit);
  const faults = new FaultInjector();
  const log: RequestLogEntry[] = [];
  const settings = {
    peeringTransitionMs: options.peeringTransitionMs ?? 2_000,
    clusterTransitionMs: options.clusterTransitionMs ?? 2_000,
    snapshotTransitionMs: options.snapshotTransitionMs ?? 2_000,
  };
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  let baseUrl = '';

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      // Last resort: never crash, never leave a connection hanging.
      if (!res.headersSent)
        send(res, errorAnswer(new SimError(500, 'UNEXPECTED_ERROR', 'Unexpected error.')), false);
      else res.destroy();
      if (!(error instanceof SimError)) process.emitWarning(`atlas-simulator: ${String(error)}`);
    });
  });
  server.keepAliveTimeout = 30_000;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      const answer = errorAnswer(
        new SimError(413, 'REQUEST_TOO_LARGE', `The request body is larger than ${maxBodyBytes} bytes.`),
      );
      send(res, answer, false);
      record(method, url.pathname, answer.status);
      return;
    }
    const call: Call = {
      method,
      url,
      headers: req.headers,
      body,
      sourceIp: normaliseIp(req.socket.remoteAddress),
    };

    if (url.pathname.startsWith('/__sim/')) {
      send(res, await control(call), true);
      return;
    }
    if (options.latencyMs) await wait(options.latencyMs);

    const fault = faults.take(method, url.pathname, TRANSPORT_ACTIONS);
    if (fault?.action === 'reset') {
      record(method, url.pathname, 0, 'reset');
      req.socket.destroy();
      return;
    }
    if (fault?.action === 'stall') {
      record(method, url.pathname, 0, 'stall');
      if (fault.stallMs === undefined) return; // hold the connection until the client gives up
      await wait(fault.stallMs);
    }
    if (fault?.action === 'status') {
      const answer = errorAnswer(scriptedError(fault));
      send(res, answer, false);
      record(method, url.pathname, answer.status, `status ${fault.status}`);
      return;
    }

    const answer = dispatch(call);
    send(res, answer, call.url.searchParams.get('pretty') === 'true');
  }

  function dispatch(call: Call): Answer {
    const { method, url } = call;
    if (url.pathname === '/api/oauth/token' || url.pathname === '/api/oauth/revoke') {
      const answer = oauth(call);
      record(method, url.pathname, answer.status);
      return answer;
    }
    let principal: Principal | undefined;
    let version: string | undefined;
    try {
      if (options.faultRate && url.pathname.startsWith(API_PREFIX) && random() < options.faultRate) {
        throw random() < 0.5
          ? new SimError(500, 'UNEXPECTED_ERROR', 'Unexpected error.')
          : new SimError(503, 'SERVICE_UNAVAILABLE', 'Service unavailable.');
      }
      const { route, params } = findRoute(method, url.pathname);
      principal = auth.authenticate(
        live.state,
        method,
        `${url.pathname}${url.search}`,
        header(call, 'authorization'),
        now(),
      );
      checkApiAccessList(principal, call.sourceIp);
      const apiPath = url.pathname.slice(1);
      const limitHeaders = limiter.take(
        route.endpointSet,
        { groupId: params.groupId, orgId: params.orgId ?? principal.orgId, userId: principal.id },
        apiPath,
        now(),
      );
      const resolved = resolveVersion(header(call, 'accept'), route.versions, now());
      version = resolved.date;
      const result = runRoute(route, params, call, principal, resolved.date);
      const pageFault =
        'list' in result
          ? (faults.take(method, url.pathname, PAGE_ACTIONS)?.action as PageAction | undefined)
          : undefined;
      const answer = successAnswer(
        result,
        call,
        resolved.date,
        { ...limitHeaders, ...resolved.headers },
        pageFault,
      );
      record(
        method,
        url.pathname,
        answer.status,
        pageFault ?? call.faultUsed,
        version,
        principal.id,
        url.search,
      );
      return answer;
    } catch (error) {
      const simError =
        error instanceof SimError ? error : new SimError(500, 'UNEXPECTED_ERROR', 'Unexpected error.');
      if (!(error instanceof SimError)) process.emitWarning(`atlas-simulator: ${String(error)}`);
      record(method, url.pathname, simError.status, undefined, version, principal?.id, url.search);
      return errorAnswer(simError);
    }
  }

  function findRoute(method: string, pathname: string): { route: AnyRoute; params: Record<string, string> } {
    if (!pathname.startsWith(`${API_PREFIX}/`)) {
      throw new SimError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${pathname}.`, {
        parameters: [pathname],
      });
    }
    const apiPath = pathname.slice(API_PREFIX.length);
    const found = allRoutes
      .map((route) => ({ route, params: matchPath(route.path, apiPath) }))
      .filter((m): m is { route: AnyRoute; params: Record<string, string> } => m.params !== undefined);
    // A custom method (`/users/{userId}:addRole`) beats the plain resource whose parameter would swallow it.
    const custom = found.filter((m) => isCustomMethod(m.route.path));
    const matches = custom.length > 0 ? custom : found;
    // A literal segment beats a parameter (`/containers/all` over `/containers/{containerId}`).
    const literalCount = (r: AnyRoute) => r.path.split('/').filter((s) => !s.startsWith('{')).length;
    matches.sort((a, b) => literalCount(b.route) - literalCount(a.route));
    const exact = matches.find((m) => m.route.method === method);
    if (exact) return exact;
    if (matches.length > 0) {
      const allowed = [...new Set(matches.map((m) => m.route.method))].join(', ');
      throw new SimError(405, 'METHOD_NOT_ALLOWED', `The ${method} method is not allowed for ${pathname}.`, {
        parameters: [method],
        headers: { Allow: allowed },
      });
    }
    throw new SimError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${pathname}.`, {
      parameters: [pathname],
    });
  }

  function checkApiAccessList(principal: Principal, sourceIp: string): void {
    if (!options.enforceApiAccessList || principal.kind !== 'service-account') return;
    const account = live.state.serviceAccounts.find((a) => a.clientId === principal.id);
    const entry = account?.accessList.find((e) => addressMatches(sourceIp, e.ipAddress, e.cidrBlock));
    if (!entry) {
      throw new SimError(
        403,
        'IP_ADDRESS_NOT_ON_ACCESS_LIST',
        `IP address ${sourceIp} is not allowed to access this resource.`,
        { parameters: [sourceIp] },
      );
    }
    entry.requestCount += 1;
    entry.lastUsedAddress = sourceIp;
    entry.lastUsedAt = new Date(now()).toISOString();
  }

  function runRoute(
    route: AnyRoute,
    rawParams: Record<string, string>,
    call: Call,
    principal: Principal,
    version: string,
  ): RouteResult {
    const problems: FieldViolation[] = [];
    const check = <T>(schema: z.ZodType<T> | undefined, input: unknown, prefix: string): T => {
      if (!schema) return input as T;
      const parsed = schema.safeParse(input);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        problems.push({
          field: prefix && path ? `${prefix}.${path}` : path || prefix || '(body)',
          description: issue.message,
        });
      }
      return input as T;
    };
    const params = check(route.params, rawParams, '');
    const query = check(route.query, queryObject(call.url.searchParams), '');
    let body: unknown;
    if (route.body) {
      const json = parseJsonBody(call);
      const parsed = route.body.safeParse(json, { reportInput: true });
      if (parsed.success) {
        body = parsed.data;
      } else {
        // JSON that cannot be read as the operation's body at all (an object for an array, a string for a
        // number) is Atlas's INVALID_JSON; a body of the right shape with bad values is VALIDATION_ERROR.
        const misfits = parsed.error.issues.filter(isShapeIssue);
        if (misfits.length > 0) {
          throw new SimError(400, 'INVALID_JSON', 'Received JSON does not match expected format.', {
            fields: misfits.map((issue) => ({
              field: issue.path.map(String).join('.') || '(body)',
              description: issue.message,
            })),
          });
        }
        body = check(route.body, json, '');
      }
    }
    if (problems.length > 0) throw validationError(problems);
    checkOwnership(rawParams, principal);
    return route.handle({
      state: live.state,
      params,
      query,
      body,
      url: call.url,
      version,
      principal,
      sourceIp: call.sourceIp,
      now: now(),
      ids,
      settings,
      fault: (action) => {
        const script = faults.take(call.method, call.url.pathname, [action]);
        if (script) call.faultUsed = action;
        return script;
      },
    });
  }

  /** A project or org in the path must exist and belong to the caller's organization. */
  function checkOwnership(params: Record<string, string>, principal: Principal): void {
    if (params.groupId !== undefined) {
      const project = live.state.projects.find((p) => p.id === params.groupId);
      if (!project) {
        throw new SimError(404, 'GROUP_NOT_FOUND', `No group with ID ${params.groupId} exists.`, {
          parameters: [params.groupId],
        });
      }
      if (project.orgId !== principal.orgId) {
        // Atlas's error-code page: NOT_IN_GROUP, 401, with this text.
        throw new SimError(
          401,
          'NOT_IN_GROUP',
          'The current user is not in the group, or the group does not exist.',
        );
      }
    }
    if (params.orgId !== undefined) {
      if (!live.state.orgs.some((o) => o.id === params.orgId)) {
        throw new SimError(404, 'ORG_NOT_FOUND', `No organization with ID ${params.orgId} exists.`, {
          parameters: [params.orgId],
        });
      }
      if (params.orgId !== principal.orgId) {
        // Atlas's error-code page: USER_CANNOT_ACCESS_ORG, 401, with this text.
        throw new SimError(401, 'USER_CANNOT_ACCESS_ORG', 'User cannot access this organization.');
      }
    }
  }

  function successAnswer(
    result: RouteResult,
    call: Call,
    version: string,
    headers: Record<string, string>,
    pageFault: PageAction | undefined,
  ): Answer {
    let body =
      'list' in result
        ? paginate(result.list, readPageRequest(call.url.searchParams), call.url, pageFault)
        : result.body;
    let status = result.status;
    if (call.url.searchParams.get('envelope') === 'true') {
      body = 'list' in result ? { ...(body as object), status } : { content: body ?? {}, status };
      status = 200;
    }
    return { status, body, headers: { 'Content-Type': versionedContentType(version), ...headers } };
  }

  function oauth(call: Call): Answer {
    if (call.method !== 'POST') {
      return {
        status: 405,
        body: { error: 'invalid_request', error_description: 'Use POST.' },
        headers: { Allow: 'POST' },
      };
    }
    const contentType = header(call, 'content-type') ?? '';
    const form = contentType.startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(call.body.toString('utf8'))
      : new URLSearchParams();
    const answer =
      call.url.pathname === '/api/oauth/token'
        ? auth.issueToken(live.state, header(call, 'authorization'), form, now())
        : auth.revokeToken(live.state, header(call, 'authorization'), form);
    return { status: answer.status, body: answer.body, headers: { 'Cache-Control': 'no-store' } };
  }

  async function control(call: Call): Promise<Answer> {
    const path = call.url.pathname.slice('/__sim'.length);
    const json = (status: number, body: unknown): Answer => ({
      status,
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    if (path === '/health' && call.method === 'GET') return json(200, { ok: true });
    if (path === '/requests' && call.method === 'GET') return json(200, { requests: log });
    if (path === '/requests' && call.method === 'DELETE') {
      log.length = 0;
      return json(204, undefined);
    }
    if (path === '/faults' && call.method === 'GET') return json(200, { faults: faults.pending() });
    if (path === '/faults' && call.method === 'POST') {
      const parsed = controlJson(call);
      if (parsed === NOT_JSON) return json(400, { error: 'the body is not JSON' });
      const scripts = z.array(faultScriptSchema).safeParse(Array.isArray(parsed) ? parsed : [parsed]);
      if (!scripts.success) return json(400, { error: describeIssues(scripts.error.issues) });
      for (const script of scripts.data) faults.add(script);
      return json(201, { faults: faults.pending() });
    }
    if (path === '/faults' && call.method === 'DELETE') {
      faults.clear();
      return json(204, undefined);
    }
    if (path === '/tokens/expire' && call.method === 'POST')
      return json(200, { expired: auth.expireTokens() });
    const clockView = () => ({ now: new Date(now()).toISOString(), offsetMs: clockOffsetMs });
    if (path === '/clock' && call.method === 'GET') return json(200, clockView());
    if (path === '/clock' && call.method === 'POST') {
      const parsed = clockControl.safeParse(controlJson(call));
      if (!parsed.success) return json(400, { error: describeIssues(parsed.error.issues) });
      advanceClock(parsed.data.advanceMs);
      return json(200, clockView());
    }
    const peerStatus = /^\/peers\/([^/]+)\/status$/.exec(path);
    if (peerStatus && call.method === 'POST') {
      const parsed = peerStatusControl.safeParse(controlJson(call));
      if (!parsed.success) return json(400, { error: describeIssues(parsed.error.issues) });
      const answer = setPeerStatus(live.state, decodeURIComponent(peerStatus[1] ?? ''), parsed.data, {
        now: now(),
        transitionMs: settings.peeringTransitionMs,
      });
      return json(answer.status, answer.body);
    }
    const acceptance = /^\/invitations\/([^/]+)\/accept$/.exec(path);
    if (acceptance && call.method === 'POST') {
      const answer = acceptInvitation(live.state, decodeURIComponent(acceptance[1] ?? ''), now(), ids);
      return json(answer.status, answer.body);
    }
    if (path === '/reset' && call.method === 'POST') {
      live.state = await freshState();
      clockOffsetMs = 0;
      auth.reset();
      limiter.reset();
      faults.clear();
      log.length = 0;
      return json(204, undefined);
    }
    return json(404, { error: `unknown control endpoint ${call.method} ${call.url.pathname}` });
  }

  function record(
    method: string,
    path: string,
    status: number,
    fault?: string,
    version?: string,
    principal?: string,
    query?: string,
  ) {
    log.push({
      at: new Date(now()).toISOString(),
      method,
      path,
      ...(query ? { query } : {}),
      status,
      ...(version ? { version } : {}),
      ...(principal ? { principal } : {}),
      ...(fault ? { fault } : {}),
    });
    if (log.length > 10_000) log.splice(0, log.length - 10_000);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  const firstOrg = live.state.orgs.find((o) => o.id === primaryAccount.orgId) ?? live.state.orgs[0];

  return {
    url: baseUrl,
    orgId: firstOrg?.id ?? primaryAccount.orgId,
    clientId: primaryAccount.clientId,
    clientSecret: primaryAccount.clientSecret,
    publicKey: primaryKey.publicKey,
    privateKey: primaryKey.privateKey,
    get state() {
      return live.state;
    },
    now,
    advanceClock,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function header(call: Call, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length > 1 ? values : (values[0] ?? '');
  }
  return result;
}

/** The JSON body of a write: the versioned media type or `application/json`, well-formed. */
function parseJsonBody(call: Call): unknown {
  const contentType = (header(call, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (
    contentType !== 'application/json' &&
    !/^application\/vnd\.atlas\.\d{4}-\d{2}-\d{2}\+json$/.test(contentType)
  ) {
    throw new SimError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${contentType || '(none)'} is not supported; send application/json or application/vnd.atlas.YYYY-MM-DD+json.`,
      { parameters: [contentType] },
    );
  }
  // Atlas's error-code page: a body that is not JSON at all (an empty one included) is MALFORMED_JSON.
  try {
    return JSON.parse(call.body.toString('utf8'));
  } catch {
    throw new SimError(400, 'MALFORMED_JSON', 'Received JSON is malformed.');
  }
}

const JSON_TYPES: Record<string, string> = {
  string: 'string',
  number: 'number',
  int: 'number',
  boolean: 'boolean',
  object: 'object',
  array: 'array',
};

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/** A schema issue that says the JSON has the wrong type at some place, not merely a bad value. */
function isShapeIssue(issue: z.core.$ZodIssue): boolean {
  if (issue.code !== 'invalid_type' || !('input' in issue) || issue.input === undefined) return false;
  const expected = JSON_TYPES[issue.expected];
  return expected !== undefined && expected !== jsonType(issue.input);
}

const NOT_JSON = Symbol('not JSON');

/** `POST /__sim/clock`: how far to move the simulator's time forward, in whole milliseconds. */
const clockControl = z.object({
  advanceMs: z
    .number()
    .int('must be a whole number of milliseconds')
    .nonnegative('the clock only moves forward')
    .max(100 * 365 * 24 * 3_600_000, 'must be at most 100 years'),
});

/** The JSON body of a control call (`null` when empty), or `NOT_JSON`. */
function controlJson(call: Call): unknown {
  try {
    return JSON.parse(call.body.toString('utf8') || 'null');
  } catch {
    return NOT_JSON;
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

/** The error a `status` fault script answers with: its own code and detail, or the status's defaults. */
function scriptedError(fault: FaultScript): SimError {
  const { status, retryAfter } = fault;
  const codes: Record<number, [ErrorCode, string]> = {
    429: ['RATE_LIMITED_TOKEN_BUCKET', 'Rate limit exceeded. Please retry later.'],
    500: ['UNEXPECTED_ERROR', 'Unexpected error.'],
    502: ['BAD_GATEWAY', 'Bad gateway.'],
    503: ['SERVICE_UNAVAILABLE', 'Service unavailable.'],
    504: ['GATEWAY_TIMEOUT', 'Gateway timeout.'],
  };
  const [defaultCode, defaultDetail] = codes[status] ?? ['SCRIPTED_ERROR', `Scripted error ${status}.`];
  const retry = retryAfter ?? (status === 429 ? 1 : undefined);
  return SimError.scripted(status, fault.errorCode ?? defaultCode, fault.detail ?? defaultDetail, {
    ...(status === 429 ? { parameters: ['api/atlas/v2', retry, 0, 0, 0] } : {}),
    ...(retry === undefined ? {} : { headers: { 'Retry-After': String(retry) } }),
  });
}

function errorAnswer(error: SimError): Answer {
  // Atlas repeats the code in an `X-Error-Code` header (the Atlas CLI's recorded e2e answers), except on the
  // 401s of its authentication layer, which carry the Digest challenge instead.
  const codeHeader: Record<string, string> =
    'WWW-Authenticate' in error.headers ? {} : { 'X-Error-Code': error.errorCode };
  return {
    status: error.status,
    body: error.toBody(),
    headers: { 'Content-Type': 'application/json', ...codeHeader, ...error.headers },
  };
}

function send(res: ServerResponse, answer: Answer, pretty: boolean): void {
  const headers = { ...answer.headers };
  let payload = '';
  if (answer.body !== undefined && answer.status !== 204) {
    payload = answer.raw ? String(answer.body) : JSON.stringify(answer.body, null, pretty ? 2 : undefined);
    headers['Content-Type'] ??= 'application/json';
  }
  res.writeHead(answer.status, { ...headers, 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/**
 * Reads the whole body. Past `limit` it keeps draining but stops keeping bytes, then rejects: answering while
 * the client still writes would leave a keep-alive connection in a state its next request cannot use.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function normaliseIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
