/**
 * The webhook intake (API Gateway HTTP API → Lambda). Wiring only: the worker kit (no Atlas: the intake
 * never calls it), the secrets, the queue and the stores are built once per container (or per local stack,
 * which passes its own environment); what a delivery goes through is `WebhookIntake` in shared/webhooks.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createWorkerKit } from '../../shared/lambda/base-kit.ts';
import { SqsOperationQueue } from '../../shared/operations/adapters/operation-queue.ts';
import { SqsOutcomePublisher } from '../../shared/operations/adapters/outcome-queue.ts';
import { DynamoStatusStore } from '../../shared/operations/adapters/status-store.ts';
import { DynamoDeliveryStore } from '../../shared/webhooks/adapters/delivery-store.ts';
import { SecretWebhookSecrets } from '../../shared/webhooks/adapters/webhook-secrets.ts';
import { answerHttpApiEvent } from '../../shared/webhooks/http-api.ts';
import { WebhookIntake } from '../../shared/webhooks/intake.ts';
import { recordIntakeMetrics } from '../../shared/webhooks/metrics.ts';
import { closedSources } from '../../shared/webhooks/senders.ts';
import { loadWebhookIntakeConfig } from './env.ts';

/** No rule: deny by default. */
const NO_POLICY = { rules: [] };

export function createWebhookIntakeHandler(env: Record<string, string | undefined>) {
  const config = loadWebhookIntakeConfig(env);
  const kit = createWorkerKit({ env });
  const dynamo = kit.traced(new DynamoDBClient(kit.awsEndpoint('DYNAMODB')));
  const document = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = kit.traced(new SQSClient({ ...kit.awsEndpoint('SQS'), useQueueUrlAsEndpoint: false }));
  const closed = closedSources(config.senders);
  if (closed.length > 0) {
    // Deny by default, said once at cold start (and on every refusal): a source nobody configured is closed.
    kit.logger.warn('Webhook sources accept nothing: no sender scope is configured for them', {
      sources: closed,
      setting: 'WEBHOOK_SENDERS',
    });
  }
  if (!config.policy) {
    kit.logger.warn('No operation policy is configured: every request is refused', {
      setting: 'OPERATION_POLICY',
    });
  }
  const intake = new WebhookIntake({
    secrets: new SecretWebhookSecrets({
      secretId: config.secretId,
      client: kit.traced(new SecretsManagerClient(kit.awsEndpoint('SECRETS_MANAGER'))),
    }),
    rules: config.rules,
    senders: config.senders,
    policy: config.policy ?? NO_POLICY,
    deliveries: new DynamoDeliveryStore({
      client: document,
      table: config.table,
      ttlHours: config.deliveryTtlHours,
    }),
    queue: new SqsOperationQueue({ sqs, queueUrl: config.queueUrl }),
    status: new DynamoStatusStore({ client: document, table: config.table, ttlDays: config.statusTtlDays }),
    outcomes: config.outcomesQueueUrl
      ? new SqsOutcomePublisher({ sqs, queueUrl: config.outcomesQueueUrl })
      : undefined,
    statusTtlDays: config.statusTtlDays,
    logger: kit.logger,
    toleranceSeconds: config.toleranceSeconds,
  });

  return kit.handler(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const { result, outcome } = await answerHttpApiEvent(event, intake, kit.logger);
    recordIntakeMetrics(kit.metrics, outcome);
    return result;
  });
}
