/** Integration-test support: raw HTTP against a running simulator (what any Atlas client would send). */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { RequestLogEntry } from '../../local/atlas-simulator/faults.ts';
import { type RunningSimulator, startSimulator } from '../../local/atlas-simulator/index.ts';

/** A JSON object as the simulator answers one. */
export type Json = Record<string, unknown>;

/** One page of an Atlas list as the simulator answers it. */
export interface Page<T = Json> {
  links: { href: string; rel: string }[];
  results: T[];
  totalCount?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  json: unknown;
}

/** A bearer token for the simulator's service account. */
export async function bearerToken(sim: RunningSimulator): Promise<string> {
  const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64');
  const res = await send(sim, 'POST', '/api/oauth/token', {
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return (res.json as { access_token: string }).access_token;
}

/** Sends one request to the simulator and reads the whole answer. */
export async function send(
  sim: RunningSimulator,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const res = await request(`${sim.url}${path}`, {
    method: method as 'GET',
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** An authenticated Atlas API call with a versioned Accept header (and Content-Type when there is a body). */
export async function atlasCall(
  sim: RunningSimulator,
  token: string,
  method: string,
  apiPath: string,
  options: { version?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const mediaType = `application/vnd.atlas.${options.version ?? '2025-03-12'}+json`;
  return send(sim, method, `/api/atlas/v2${apiPath}`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: mediaType,
      ...(options.body === undefined ? {} : { 'content-type': mediaType }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

/** The simulator's request log. */
export async function requestLog(sim: RunningSimulator): Promise<RequestLogEntry[]> {
  const res = await send(sim, 'GET', '/__sim/requests');
  return (res.json as { requests: RequestLogEntry[] }).requests;
}

/** Scripts faults on the simulator (see local/atlas-simulator/faults.ts). */
export async function scriptFaults(sim: RunningSimulator, scripts: Record<string, unknown>[]): Promise<void> {
  const res = await send(sim, 'POST', '/__sim/faults', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scripts),
  });
  if (res.status !== 201) throw new Error(`fault script refused: ${res.text}`);
}

/** Puts the simulator back to its seed (state, tokens, rate limits, faults, log). */
export async function resetSimulator(sim: RunningSimulator): Promise<void> {
  await send(sim, 'POST', '/__sim/reset');
}

/** A demo simulator shared by the tests of the enclosing describe, and the token of the current test. */
export interface DemoSimulator {
  /** The running simulator (from beforeAll on). */
  readonly sim: RunningSimulator;
  /** A bearer token taken before the current test (unless `token: false`). */
  readonly token: string;
}

/**
 * Registers, in the enclosing describe (or file): beforeAll starts a simulator with the demo seed on a free
 * port, afterAll closes it, and beforeEach puts it back to its seed (`reset`, default true) and takes a fresh
 * bearer token (`token`, default true). Read `sim` and `token` inside hooks and tests, not at collection.
 */
export function useDemoSimulator(options: { reset?: boolean; token?: boolean } = {}): DemoSimulator {
  const { reset = true, token: takeToken = true } = options;
  let sim: RunningSimulator | undefined;
  let token: string | undefined;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 'demo' });
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    const running = started();
    if (reset) await resetSimulator(running);
    if (takeToken) token = await bearerToken(running);
  });

  function started(): RunningSimulator {
    if (!sim) throw new Error('useDemoSimulator: the simulator is not running (read it in a hook or test)');
    return sim;
  }
  return {
    get sim() {
      return started();
    },
    get token() {
      if (token === undefined)
        throw new Error('useDemoSimulator: no token (taken before each test unless token: false)');
      return token;
    },
  };
}
