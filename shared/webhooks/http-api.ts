/**
 * The intake behind API Gateway's HTTP API (payload format 2.0): the event's route, headers and body become a
 * `Delivery`, the intake's answer becomes the response. The local stack's adapter (local/http-api.ts) builds
 * the same events, so the same code answers on this machine.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { IntakeLogger, IntakeOutcome, IntakeResult, WebhookIntake } from './intake.ts';

/** The routes the API sends to the intake (infra/constructs/webhook-intake.ts declares the same). */
export const WEBHOOK_ROUTE_PATH = '/webhooks/{source}';
export const STATUS_ROUTE_PATH = '/operations/{id}';

export interface HttpApiAnswer {
  result: APIGatewayProxyStructuredResultV2;
  outcome: IntakeOutcome;
}

/**
 * Answers one HTTP API event. A body the event marks `isBase64Encoded` is decoded to its bytes first: the
 * signature covers the bytes as sent. An unexpected error is logged (without the event) and answered 500.
 */
export async function answerHttpApiEvent(
  event: APIGatewayProxyEventV2,
  intake: WebhookIntake,
  logger: IntakeLogger,
): Promise<HttpApiAnswer> {
  const path = event.routeKey?.split(' ')[1];
  let result: IntakeResult;
  try {
    if (path === WEBHOOK_ROUTE_PATH) {
      const headers = lowerCased(event.headers);
      result = await intake.receive({
        source: event.pathParameters?.source ?? '',
        method: event.requestContext.http.method,
        headers,
        body: bodyBytes(event),
        baseUrl: baseUrlOf(event, headers),
      });
    } else if (path === STATUS_ROUTE_PATH) {
      const dryRun = event.queryStringParameters?.dryRun === 'true';
      result = await intake.status(event.pathParameters?.id ?? '', dryRun);
    } else {
      result = { answer: { statusCode: 404, body: { error: 'NOT_FOUND' } }, outcome: { kind: 'refused' } };
    }
  } catch (error) {
    logger.error('Webhook intake failed', {
      routeKey: event.routeKey,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    result = { answer: { statusCode: 500, body: { error: 'INTERNAL_ERROR' } }, outcome: { kind: 'failed' } };
  }
  const { statusCode, body, headers } = result.answer;
  return {
    result: {
      statusCode,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    },
    outcome: result.outcome,
  };
}

/** Payload v2 headers are lower case already; a hand-built event may not be. */
function lowerCased(headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = value;
  return result;
}

function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** `https://<domain>[/<stage>]`: where the status URL points; undefined when the event has no domain. */
function baseUrlOf(
  event: APIGatewayProxyEventV2,
  headers: Record<string, string | undefined>,
): string | undefined {
  const domain = event.requestContext.domainName;
  if (!domain) return undefined;
  const protocol = headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  const stage = event.requestContext.stage;
  return `${protocol}://${domain}${stage && stage !== '$default' ? `/${stage}` : ''}`;
}
