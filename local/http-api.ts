/**
 * A local front for an API Gateway HTTP API: a `node:http` server on 127.0.0.1 that turns each request into
 * the payload format 2.0 event Lambda gets from an HTTP API (lower-case headers, `rawPath`, `routeKey`,
 * `pathParameters`, cookies, `requestContext.http`, a text body as is or a binary one in base64 with
 * `isBase64Encoded`), invokes the same handler, and turns its result back into the response the way API
 * Gateway does. No authorizer runs here: a route that is IAM-authorised in AWS is open on this machine.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';

/** API Gateway refuses larger payloads itself (HTTP API quota: 10 MB). */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/**
 * Content types passed as text; every other body reaches the function base64-encoded. Kept to the common
 * textual types on purpose (a vendor `+json` type arrives encoded), so the decoding path is exercised here too.
 */
const TEXT_TYPES =
  /^(?:text\/[\w.+-]+|application\/(?:json|xml|javascript|x-www-form-urlencoded))\s*(?:;|$)/i;

export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2 | undefined>;

export interface LocalHttpApiOptions {
  /** Route keys as API Gateway writes them: `ANY /webhooks/{source}`, `GET /operations/{id}`. */
  routes: readonly string[];
  handler: HttpApiHandler;
  functionName: string;
  /** The function's timeout: a handler still running then is answered 503, as API Gateway does. */
  timeoutMs: number;
  /** Default 0: a free port. */
  port?: number;
  /** Called after each invocation with the time the handler took (benchmarks read it). */
  onInvoke?: (durationMs: number) => void;
}

export interface LocalHttpApi {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

interface Route {
  routeKey: string;
  method: string;
  pattern: RegExp;
  names: string[];
}

function compile(routeKey: string): Route {
  const [method = 'ANY', path = '/'] = routeKey.split(' ');
  const names: string[] = [];
  const pattern = path
    .split('/')
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('/');
  return { routeKey, method, pattern: new RegExp(`^${pattern}$`), names };
}

/** Starts the front on 127.0.0.1. */
export async function startLocalHttpApi(options: LocalHttpApiOptions): Promise<LocalHttpApi> {
  const routes = options.routes.map(compile);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let params: Record<string, string> = {};
    const route = routes.find((candidate) => {
      if (candidate.method !== 'ANY' && candidate.method !== method) return false;
      const match = candidate.pattern.exec(url.pathname);
      if (!match) return false;
      params = Object.fromEntries(candidate.names.map((name, i) => [name, decode(match[i + 1] ?? '')]));
      return true;
    });
    if (!route) return send(res, 404, { message: 'Not Found' });

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD_BYTES) return send(res, 413, { message: 'Request Entity Too Large' });
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const event = buildEvent(req, url, method, route.routeKey, params, body);
    const context = lambdaContext(options.functionName, options.timeoutMs);

    const started = performance.now();
    let result: APIGatewayProxyResultV2 | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      result = await Promise.race([
        options.handler(event, context),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TimeoutError()), options.timeoutMs);
        }),
      ]);
    } catch (error) {
      if (error instanceof TimeoutError) return send(res, 503, { message: 'Service Unavailable' });
      // API Gateway answers a function error with this, and logs nothing of the error to the caller.
      process.stderr.write(`atlas-ops: ${options.functionName} failed: ${String(error)}\n`);
      return send(res, 500, { message: 'Internal Server Error' });
    } finally {
      clearTimeout(timer);
      options.onInvoke?.(performance.now() - started);
    }
    respond(res, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

class TimeoutError extends Error {}

function buildEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  routeKey: string,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    // Payload v2 moves cookies to their own array and joins repeated headers with commas.
    if (name === 'cookie') cookies = String(value).split(/;\s*/).filter(Boolean);
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  const domainName = headers.host ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(cookies ? { cookies } : {}),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    ...(body.length > 0 ? { body: body.toString(text ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

/** The function's result as API Gateway turns it into a response (payload v2 rules). */
function respond(res: ServerResponse, result: APIGatewayProxyResultV2 | undefined): void {
  // Anything but an object with a statusCode is a 200 JSON body made of the result itself.
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const text = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  headers['content-length'] = body.length;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
