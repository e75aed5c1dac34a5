/**
 * The webhook intake under load: 1,000 signed deliveries (the five sources in turn, each a new ticket, so
 * each is verified, mapped, validated, claimed, recorded PENDING and enqueued) through the local HTTP API
 * adapter, 8 in flight, over loopback. The intake runs on its own stand-ins (SQS, DynamoDB, Secrets
 * Manager) with no provisioner draining the queue, so the numbers are the intake's. Prints requests per
 * second and p50/p99 latency, both as the sender sees it and inside the handler.
 */
import {
  createLocalDynamoClients,
  createLocalSqsClient,
  createQueueWithDeadLetter,
  ensureOperationsTable,
} from '../local/aws/clients.ts';
import { startDynamoStandIn } from '../local/aws/dynamodb.ts';
import { startSecretsManagerStandIn } from '../local/aws/secrets-manager.ts';
import { startSqsStandIn } from '../local/aws/sqs.ts';
import { exampleDelivery, exampleRef } from '../local/webhook-examples.ts';
import { startLocalWebhooks } from '../local/webhooks.ts';
import { signDelivery } from '../shared/webhooks/schemes.ts';
import { WEBHOOK_SOURCES } from '../shared/webhooks/sources.ts';

const DELIVERIES = 1000;
const WARM_UP = 50;
const CONCURRENCY = 8;

function percentile(sorted: readonly number[], p: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return Math.round(value * 100) / 100;
}

export async function benchWebhooks(): Promise<Record<string, unknown>> {
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const [sqsStandIn, dynamoStandIn, secrets] = await Promise.all([
    startSqsStandIn(),
    startDynamoStandIn(),
    startSecretsManagerStandIn(),
  ]);
  const sqs = createLocalSqsClient(sqsStandIn.endpoint);
  const { dynamo } = createLocalDynamoClients(dynamoStandIn.endpoint);
  try {
    const queues = await createQueueWithDeadLetter(sqs, 'bench-operations', {
      maxReceiveCount: 6,
      visibilityTimeoutSeconds: 360,
    });
    await ensureOperationsTable(dynamo, 'bench-operations');
    const webhooks = await startLocalWebhooks({
      secrets,
      region: 'us-east-1',
      sqsEndpoint: sqsStandIn.endpoint,
      dynamoEndpoint: dynamoStandIn.endpoint,
      queueUrl: queues.queueUrl,
      table: 'bench-operations',
    });
    try {
      const deliver = async (i: number) => {
        const source = WEBHOOK_SOURCES[i % WEBHOOK_SOURCES.length] ?? 'jira';
        const operation = {
          type: 'projectAccessList.add',
          params: {
            groupId: '5f1b2c3d4e5f6a7b8c9d0e1f',
            entries: [{ cidrBlock: `10.${Math.floor(i / 250)}.${i % 250}.0/24`, comment: 'bench' }],
          },
        };
        const body = Buffer.from(
          JSON.stringify(exampleDelivery(source, operation, { ref: exampleRef(source, 100_000 + i) })),
        );
        const headers = signDelivery(source, body, webhooks.secrets[source], { deliveryId: `bench-${i}` });
        const started = performance.now();
        const response = await fetch(`${webhooks.url}/webhooks/${source}`, { method: 'POST', headers, body });
        await response.arrayBuffer();
        return { status: response.status, ms: performance.now() - started };
      };
      const run = async (from: number, count: number) => {
        const results: { status: number; ms: number }[] = [];
        let next = from;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < from + count) {
              const i = next++;
              results.push(await deliver(i));
            }
          }),
        );
        return results;
      };

      await run(0, WARM_UP);
      const handlerBefore = webhooks.handlerDurations().length;
      const started = performance.now();
      const results = await run(WARM_UP, DELIVERIES);
      const wallMs = performance.now() - started;
      const handler = webhooks
        .handlerDurations()
        .slice(handlerBefore)
        .sort((a, b) => a - b);
      const roundTrip = results.map((r) => r.ms).sort((a, b) => a - b);
      const statuses: Record<string, number> = {};
      for (const { status } of results) statuses[status] = (statuses[status] ?? 0) + 1;
      return {
        deliveries: DELIVERIES,
        concurrency: CONCURRENCY,
        sources: WEBHOOK_SOURCES.length,
        statuses,
        wallMs: Math.round(wallMs),
        requestsPerSecond: Math.round((DELIVERIES / wallMs) * 1000),
        p50Ms: percentile(roundTrip, 50),
        p99Ms: percentile(roundTrip, 99),
        handlerP50Ms: percentile(handler, 50),
        handlerP99Ms: percentile(handler, 99),
      };
    } finally {
      await webhooks.close();
    }
  } finally {
    sqs.destroy();
    dynamo.destroy();
    await Promise.all([sqsStandIn.close(), dynamoStandIn.close(), secrets.close()]);
  }
}
