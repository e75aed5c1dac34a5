import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { answerHttpApiEvent } from '../../../../shared/webhooks/http-api.ts';
import { capturingLogger, intakeWith, signed } from './fakes.ts';

/** An HTTP API payload v2 event, as API Gateway builds it. */
function event(fields: {
  routeKey: string;
  method: string;
  rawPath: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  stage?: string;
}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: fields.routeKey,
    rawPath: fields.rawPath,
    rawQueryString: '',
    headers: fields.headers ?? {},
    ...(fields.body === undefined ? {} : { body: fields.body }),
    isBase64Encoded: fields.isBase64Encoded ?? false,
    ...(fields.pathParameters ? { pathParameters: fields.pathParameters } : {}),
    ...(fields.queryStringParameters ? { queryStringParameters: fields.queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: fields.method,
        path: fields.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'test',
      },
      requestId: 'r-1',
      routeKey: fields.routeKey,
      stage: fields.stage ?? '$default',
      time: '29/Nov/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
  };
}

function webhookEvent(base64: boolean, stage?: string) {
  const delivery = signed('github');
  return event({
    routeKey: 'ANY /webhooks/{source}',
    method: 'POST',
    rawPath: '/webhooks/github',
    headers: delivery.headers,
    body: delivery.body.toString(base64 ? 'base64' : 'utf8'),
    isBase64Encoded: base64,
    pathParameters: { source: 'github' },
    ...(stage ? { stage } : {}),
  });
}

describe('answerHttpApiEvent', () => {
  it.each([
    ['a text body', false],
    ['a base64-encoded body', true],
  ])('verifies and accepts %s, answering JSON with a status URL on the API', async (_case, base64) => {
    // Prepare
    const { intake } = intakeWith();

    // Act
    const { result, outcome } = await answerHttpApiEvent(webhookEvent(base64), intake, capturingLogger());

    // Assess
    expect(result.statusCode).toBe(202);
    expect(result.headers).toEqual({ 'content-type': 'application/json' });
    const body = JSON.parse(String(result.body));
    expect(body.statusUrl).toBe(
      `https://abc123.execute-api.eu-west-1.amazonaws.com/operations/${body.operationId}`,
    );
    expect(outcome.kind).toBe('accepted');
  });

  it('puts a named stage in the status URL', async () => {
    // Prepare
    const { intake } = intakeWith();

    // Act
    const { result } = await answerHttpApiEvent(webhookEvent(false, 'prod'), intake, capturingLogger());

    // Assess
    expect(JSON.parse(String(result.body)).statusUrl).toMatch(/amazonaws\.com\/prod\/operations\/op-/);
  });

  it('reads header names in any case', async () => {
    // Prepare
    const { intake } = intakeWith();
    const original = webhookEvent(false);
    const upper = Object.fromEntries(
      Object.entries(original.headers).map(([name, value]) => [name.toUpperCase(), value]),
    );

    // Act
    const { result } = await answerHttpApiEvent({ ...original, headers: upper }, intake, capturingLogger());

    // Assess
    expect(result.statusCode).toBe(202);
  });

  it('answers the status record on GET /operations/{id}, the dry run with ?dryRun=true', async () => {
    // Prepare
    const { intake, status } = intakeWith();
    await status.recordPending('op-1', { type: 'projectUser.get' });
    await status.recordPending('dry-run#op-1', { type: 'projectUser.get', dryRun: true });
    const get = (query?: Record<string, string>) =>
      event({
        routeKey: 'GET /operations/{id}',
        method: 'GET',
        rawPath: '/operations/op-1',
        pathParameters: { id: 'op-1' },
        ...(query ? { queryStringParameters: query } : {}),
      });

    // Act
    const real = await answerHttpApiEvent(get(), intake, capturingLogger());
    const dry = await answerHttpApiEvent(get({ dryRun: 'true' }), intake, capturingLogger());

    // Assess
    expect(real.result.statusCode).toBe(200);
    expect(JSON.parse(String(real.result.body))).toMatchObject({ id: 'op-1', status: 'PENDING' });
    expect(JSON.parse(String(dry.result.body))).toMatchObject({ id: 'dry-run#op-1', dryRun: true });
  });

  it('answers 404 to a route it does not serve', async () => {
    // Prepare
    const { intake } = intakeWith();

    // Act
    const { result } = await answerHttpApiEvent(
      event({ routeKey: '$default', method: 'GET', rawPath: '/' }),
      intake,
      capturingLogger(),
    );

    // Assess
    expect(result.statusCode).toBe(404);
  });

  it('answers 500 to an unexpected failure and logs it without the event', async () => {
    // Prepare
    const { intake } = intakeWith();
    const logger = capturingLogger();
    intake.receive = () => Promise.reject(new TypeError('a bug'));

    // Act
    const { result } = await answerHttpApiEvent(webhookEvent(false), intake, logger);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(String(result.body))).toEqual({ error: 'INTERNAL_ERROR' });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('TypeError: a bug');
    expect(logger.lines[0]).not.toContain('x-hub-signature');
  });
});
