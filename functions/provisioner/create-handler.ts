/**
 * The provisioning worker (SQS → Lambda, partial batch responses). Wiring only: the worker kit, the adapters
 * and the idempotency layer are built once per container (or per local stack, which passes its own
 * environment); what one record goes through is `processRecord` in shared/operations.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AtlasClient, CallOptions } from '../../shared/atlas/index.ts';
import { KeyedSerialQueue } from '../../shared/atlas/serial-queue.ts';
import { createAtlasWorkerKit } from '../../shared/lambda/worker-kit.ts';
import { SqsOutcomePublisher } from '../../shared/operations/adapters/outcome-queue.ts';
import { DynamoStatusStore } from '../../shared/operations/adapters/status-store.ts';
import type { ParsedOperation } from '../../shared/operations/message.ts';
import { recordProvisioningMetrics } from '../../shared/operations/metrics.ts';
import { newCounters, processRecord } from '../../shared/operations/record-processor.ts';
import { executeOperation, type OperationServices } from '../../shared/operations/run.ts';
import { SqsWorkQueue } from '../../shared/queue-worker/adapters/work-queue.ts';
import { loadProvisionerConfig } from './env.ts';
import { temporaryAccessServices } from './temporary-access-services.ts';

/** Time kept back from the Lambda timeout to record outcomes and defer or dead-letter messages. */
const RESERVE_MS = 5_000;

export function createProvisionerHandler(env: Record<string, string | undefined>) {
  const config = loadProvisionerConfig(env);
  const kit = createAtlasWorkerKit({
    env,
    secretId: config.secretId,
    reserveMs: RESERVE_MS,
    atlasRetry: config.atlasRetry,
  });
  const dynamo = kit.traced(new DynamoDBClient(kit.awsEndpoint('DYNAMODB')));
  const sqs = kit.traced(new SQSClient({ ...kit.awsEndpoint('SQS'), useQueueUrlAsEndpoint: false }));
  const status = new DynamoStatusStore({
    client: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    table: config.table,
    ttlDays: config.statusTtlDays,
  });
  const queue = new SqsWorkQueue({
    sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
  });
  const outcomes = config.outcomesQueueUrl
    ? new SqsOutcomePublisher({ sqs, queueUrl: config.outcomesQueueUrl })
    : undefined;
  const onOutcomeError = (error: unknown, event: { operationId: string; status: string }) =>
    kit.logger.error('Could not publish an outcome; the operation stands', {
      operationId: event.operationId,
      status: event.status,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  let duplicatesPrevented = 0;
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'id',
    // A resend under the same id must ask the same thing; otherwise IdempotencyValidationError, and the
    // record processor sends it to the dead-letter queue as ID_REUSED_WITH_DIFFERENT_PARAMS.
    payloadValidationJmesPath: '[type, params]',
    // The same lifetime as the status record: a resend within it gets the recorded result, after it runs again.
    expiresAfterSeconds: config.statusTtlDays * 86_400,
    // Counted as a duplicate prevented: the stored result is returned, Atlas is not called again.
    responseHook: (response) => {
      duplicatesPrevented += 1;
      return response;
    },
  });
  // What the temporary-access types need besides Atlas: a vault for generated passwords, a scheduler for ends.
  const services: OperationServices = temporaryAccessServices(kit, config);
  // The idempotency key is the operation id (the first argument); the client and call options ride along.
  const execute = makeIdempotent(
    (operation: ParsedOperation, atlas: AtlasClient, callOptions: CallOptions) =>
      executeOperation(operation, atlas, callOptions, services),
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

  const handler = kit.handler(async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
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
          atlas: context.atlas,
          maxReceiveCount: config.maxReceiveCount,
          retryBaseMs: config.retryBaseMs,
          sameOperation,
          counters,
          outcomes,
          onOutcomeError,
          log: kit.logger,
          networkSafety: { protectedAddresses: config.protectedAddresses },
        }),
      new BatchProcessor(EventType.SQS),
      { context, throwOnFullBatchFailure: false },
    );
    recordProvisioningMetrics(kit.metrics, {
      counters,
      duplicatesPrevented: duplicatesPrevented - duplicatesBefore,
      publishesOutcomes: outcomes !== undefined,
    });
    if (response.batchItemFailures.length > 0) {
      kit.logger.warn('Some operations will be retried', { retrying: response.batchItemFailures.length });
    }
    return response;
  });

  return {
    handler,
    /** Duplicate deliveries answered from the idempotency store since start (benchmarks read it). */
    duplicatesPrevented: () => duplicatesPrevented,
  };
}
