/**
 * The local HTTP API front: the payload 2.0 events it builds from real HTTP requests, and the responses it
 * makes of a handler's results, as API Gateway's HTTP API does.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpApiHandler, type LocalHttpApi, startLocalHttpApi } from '../../../local/http-api.ts';

let api: LocalHttpApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function serve(handler: HttpApiHandler, timeoutMs = 5_000) {
  const events: APIGatewayProxyEventV2[] = [];
  api = await startLocalHttpApi({
    routes: ['ANY /webhooks/{source}', 'GET /operations/{id}'],
    functionName: 'test',
    timeoutMs,
    handler: async (event, context) => {
      events.push(event);
      return handler(event, context);
    },
  });
  return { url: api.url, events };
}

const ok: HttpApiHandler = async () => ({ statusCode: 200, body: '{}' });

describe('the local HTTP API front', () => {
  it('builds a payload 2.0 event: route, path parameters, lower-case headers, query, cookies, text body', async () => {
    // Prepare
    const { url, events } = await serve(ok);

    // Act
    await fetch(`${url}/webhooks/jira?a=1&a=2&b=x`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': 'sha256=ab', Cookie: 'c=1; d=2' },
      body: '{"x": 1}',
    });

    // Assess
    expect(events[0]).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /webhooks/{source}',
      rawPath: '/webhooks/jira',
      rawQueryString: 'a=1&a=2&b=x',
      queryStringParameters: { a: '1,2', b: 'x' },
      pathParameters: { source: 'jira' },
      cookies: ['c=1', 'd=2'],
      body: '{"x": 1}',
      isBase64Encoded: false,
      headers: expect.objectContaining({
        'content-type': 'application/json',
        'x-hub-signature': 'sha256=ab',
        'x-forwarded-proto': 'http',
      }),
      requestContext: expect.objectContaining({
        http: expect.objectContaining({ method: 'POST', path: '/webhooks/jira', sourceIp: '127.0.0.1' }),
        routeKey: 'ANY /webhooks/{source}',
        stage: '$default',
        domainName: url.slice('http://'.length),
      }),
    });
  });

  it('passes a binary body base64-encoded, byte for byte', async () => {
    // Prepare
    const { url, events } = await serve(ok);
    const bytes = Buffer.from([0, 255, 10, 13, 0xe2, 0x82]);

    // Act
    await fetch(`${url}/webhooks/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });

    // Assess
    expect(events[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(events[0]?.body ?? '', 'base64')).toEqual(bytes);
  });

  it('answers 404 for a route it does not have, and for a method the route does not take', async () => {
    // Prepare
    const { url, events } = await serve(ok);

    // Act
    const unknown = await fetch(`${url}/nowhere`);
    const wrongMethod = await fetch(`${url}/operations/op-1`, { method: 'DELETE' });

    // Assess
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: 'Not Found' }]);
    expect(wrongMethod.status).toBe(404);
    expect(events).toHaveLength(0);
  });

  it('turns results into responses: status, headers, base64 bodies, cookies, and a bare value as 200 JSON', async () => {
    // Prepare
    const results: APIGatewayProxyResultV2[] = [
      {
        statusCode: 202,
        headers: { 'Retry-After': '5' },
        body: 'aGk=',
        isBase64Encoded: true,
        cookies: ['s=1'],
      },
      { answer: 42 } as unknown as APIGatewayProxyResultV2,
    ];
    const { url } = await serve(async () => results.shift() ?? { statusCode: 500 });

    // Act
    const structured = await fetch(`${url}/operations/op-1`);
    const bare = await fetch(`${url}/operations/op-1`);

    // Assess
    expect(structured.status).toBe(202);
    expect(structured.headers.get('retry-after')).toBe('5');
    expect(structured.headers.get('set-cookie')).toBe('s=1');
    expect(await structured.text()).toBe('hi');
    expect([bare.status, bare.headers.get('content-type'), await bare.json()]).toEqual([
      200,
      'application/json',
      { answer: 42 },
    ]);
  });

  it('answers 500 when the handler throws, 503 when it outlives its timeout', async () => {
    // Prepare
    const failing = await serve(async () => {
      throw new Error('boom');
    });
    const failed = await fetch(`${failing.url}/operations/op-1`);
    await api?.close();
    const slow = await serve(() => new Promise(() => undefined), 200);

    // Act
    const timedOut = await fetch(`${slow.url}/operations/op-1`);

    // Assess
    expect([failed.status, await failed.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    expect([timedOut.status, await timedOut.json()]).toEqual([503, { message: 'Service Unavailable' }]);
  });
});
