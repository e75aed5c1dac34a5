/**
 * The provisioning worker (SQS → Lambda, partial batch responses). Wiring only: configuration, clients and
 * middleware are built once per container (or per local stack, which passes its own environment); what one
 * record goes through is `processRecord` in shared/operations.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { AtlasClient } from '../../shared/atlas/index.ts';
import { KeyedSerialQueue } from '../../shared/atlas/serial-queue.ts';
import { SecretAtlasConnection } from '../../shared/aws/atlas-connection.ts';
import { OperationQueue } from '../../shared/aws/operation-queue.ts';
import { DynamoStatusStore } from '../../shared/aws/status-store.ts';
import type { ParsedOperation } from '../../shared/operations/message.ts';
import {
  executeOperation,
  newCounters,
  type OperationOutcome,
  processRecord,
} from '../../shared/operations/record-processor.ts';
import { loadProvisionerConfig } from './config.ts';

export function createProvisionerHandler(env: Record<string, string | undefined>) {
  const config = loadProvisionerConfig(env);
  const logger = new Logger();
  const metrics = new Metrics();
  const tracer = new Tracer();
  const endpoint = (name: string) => (env[name] ? { endpoint: env[name] } : {});
  const dynamo = tracer.captureAWSv3Client(new DynamoDBClient(endpoint('AWS_ENDPOINT_URL_DYNAMODB')));
  const sqs = tracer.captureAWSv3Client(
    new SQSClient({ ...endpoint('AWS_ENDPOINT_URL_SQS'), useQueueUrlAsEndpoint: false }),
  );
  const connection = new SecretAtlasConnection({
    secretId: config.secretId,
    client: tracer.captureAWSv3Client(new SecretsManagerClient(endpoint('AWS_ENDPOINT_URL_SECRETS_MANAGER'))),
  });
  const status = new DynamoStatusStore({
    client: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    table: config.table,
    ttlDays: config.statusTtlDays,
  });
  const queue = new OperationQueue({
    sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
  });
  const idempotency = new IdempotencyConfig({
    // A dry run and the real run of the same operation id are different requests.
    eventKeyJmesPath: '[id, dryRun]',
    expiresAfterSeconds: config.idempotencyTtlSeconds,
    // Counted as a duplicate prevented: the stored outcome is returned, Atlas is not called again.
    responseHook: (response) => {
      duplicatesPrevented += 1;
      return response;
    },
  });
  let duplicatesPrevented = 0;
  // The idempotency key is the operation id (and dry-run flag); the client rides along as a second argument.
  const execute = makeIdempotent(
    (operation: ParsedOperation, atlas: AtlasClient): Promise<OperationOutcome> =>
      executeOperation(operation, atlas),
    {
      // One table for idempotency and status records: key `id`, TTL on `expiresAt` (the table's TTL attribute).
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: config.table,
        expiryAttr: 'expiresAt',
        awsSdkV3Client: dynamo,
      }),
      config: idempotency,
    },
  );
  const sameOperation = new KeyedSerialQueue();
  let client: Promise<AtlasClient> | undefined;
  const atlas = () => {
    client ??= connection.get().then(
      (c) =>
        new AtlasClient({
          credentials: c.credentials,
          baseUrl: c.baseUrl,
          logger,
          retry: config.atlasRetry,
        }),
    );
    return client;
  };

  async function provision(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    idempotency.registerLambdaContext(context);
    const counters = newCounters();
    const duplicatesBefore = duplicatesPrevented;
    const response = await processPartialResponse(
      event,
      (record: SQSRecord) =>
        processRecord(record, {
          status,
          queue,
          execute,
          atlas,
          credentialsRejected: async () => {
            client = undefined;
            await connection.refresh();
          },
          maxReceiveCount: config.maxReceiveCount,
          retryBaseSeconds: config.retryBaseSeconds,
          sameOperation,
          counters,
        }),
      new BatchProcessor(EventType.SQS),
      { context, throwOnFullBatchFailure: false },
    );
    metrics.addMetric('OperationsSucceeded', MetricUnit.Count, counters.succeeded);
    metrics.addMetric('OperationsFailed', MetricUnit.Count, counters.failed);
    metrics.addMetric('OperationsRetried', MetricUnit.Count, counters.retried);
    metrics.addMetric('OperationsDeadLettered', MetricUnit.Count, counters.deadLettered + counters.poison);
    metrics.addMetric('PoisonMessages', MetricUnit.Count, counters.poison);
    metrics.addMetric('DuplicatesPrevented', MetricUnit.Count, duplicatesPrevented - duplicatesBefore);
    if (response.batchItemFailures.length > 0) {
      logger.warn('Some operations will be retried', { retrying: response.batchItemFailures.length });
    }
    return response;
  }

  return {
    handler: middy(provision)
      .use(captureLambdaHandler(tracer))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(logMetrics(metrics, { captureColdStartMetric: true })),
    /** Duplicate deliveries answered from the idempotency store since start (benchmarks read it). */
    duplicatesPrevented: () => duplicatesPrevented,
  };
}
