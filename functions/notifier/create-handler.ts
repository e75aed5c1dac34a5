/**
 * The notifier (SQS outcomes queue → Lambda, partial batch responses). Wiring only: the worker kit (no Atlas:
 * the notifier never calls it), the credentials secret, the ledger and one client per source are built once
 * per container (or per local stack, which passes its own environment); what one outcome goes through is
 * `processOutcomeRecord` in shared/notify.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createWorkerKit } from '../../shared/lambda/base-kit.ts';
import { DynamoNotificationLedger } from '../../shared/notify/adapters/notification-ledger.ts';
import { SecretNotifierSecrets } from '../../shared/notify/adapters/notifier-secrets.ts';
import { type HttpSend, undiciSend } from '../../shared/notify/http.ts';
import { recordNotifierMetrics } from '../../shared/notify/metrics.ts';
import { Notifier } from '../../shared/notify/notifier.ts';
import { newNotificationCounters, processOutcomeRecord } from '../../shared/notify/record-processor.ts';
import {
  callbackTarget,
  githubTarget,
  jiraTarget,
  type NotificationTarget,
  noTarget,
  zendeskTarget,
} from '../../shared/notify/targets.ts';
import { SqsWorkQueue } from '../../shared/queue-worker/adapters/work-queue.ts';
import { loadNotifierConfig, type NotifierConfig } from './env.ts';

export function createNotifierHandler(
  env: Record<string, string | undefined>,
  options: { http?: HttpSend } = {},
) {
  const config = loadNotifierConfig(env);
  const kit = createWorkerKit({ env });
  const dynamo = kit.traced(new DynamoDBClient(kit.awsEndpoint('DYNAMODB')));
  const document = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = kit.traced(new SQSClient({ ...kit.awsEndpoint('SQS'), useQueueUrlAsEndpoint: false }));
  const outcomesQueue = new SqsWorkQueue({
    sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
  });
  const http = options.http ?? undiciSend();
  const targets = buildTargets(config, http, (error) =>
    kit.logger.warn('Jira transition not applied; the comment was posted', {
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  const notifier = new Notifier({
    targetFor: targets,
    ledger: new DynamoNotificationLedger({
      client: document,
      table: config.table,
      ttlDays: config.statusTtlDays,
    }),
    secrets: new SecretNotifierSecrets({
      secretId: config.secretId,
      client: kit.traced(new SecretsManagerClient(kit.awsEndpoint('SECRETS_MANAGER'))),
    }),
    statusBaseUrl: config.statusBaseUrl,
  });

  return kit.handler(async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
    const counters = newNotificationCounters();
    const response = await processPartialResponse(
      event,
      (record: SQSRecord) =>
        processOutcomeRecord(record, {
          notifier,
          queue: outcomesQueue,
          maxReceiveCount: config.maxReceiveCount,
          retryBaseMs: config.retryBaseMs,
          counters,
          log: kit.logger,
        }),
      new BatchProcessor(EventType.SQS),
      { context, throwOnFullBatchFailure: false },
    );
    recordNotifierMetrics(kit.metrics, counters);
    return response;
  });
}

/** One client per source, built once: Jira, GitHub, Zendesk; every other source is a signed callback. */
function buildTargets(
  config: NotifierConfig,
  http: HttpSend,
  onTransitionError: (error: unknown) => void,
): (source: string) => NotificationTarget {
  const unconfigured = (source: string, what: string): NotificationTarget => ({
    send: async () => {
      throw noTarget(source, what);
    },
  });
  const jira = config.jira.baseUrl
    ? jiraTarget(http, { ...config.jira, baseUrl: config.jira.baseUrl, onTransitionError })
    : unconfigured('jira', 'JIRA_BASE_URL');
  const github = githubTarget(http, { apiUrl: config.githubApiUrl });
  const zendesk = config.zendeskBaseUrl
    ? zendeskTarget(http, { baseUrl: config.zendeskBaseUrl })
    : unconfigured('zendesk', 'ZENDESK_BASE_URL');
  const callbacks = new Map<string, NotificationTarget>();
  return (source) => {
    if (source === 'jira') return jira;
    if (source === 'github') return github;
    if (source === 'zendesk') return zendesk;
    let callback = callbacks.get(source);
    if (!callback) {
      callback = callbackTarget(http, { source, url: config.callbackUrls[source] });
      callbacks.set(source, callback);
    }
    return callback;
  };
}
