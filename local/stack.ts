/**
 * The local stack: the Atlas simulator and local stand-ins for S3, Secrets Manager, SQS and DynamoDB on
 * 127.0.0.1, with the workers' real handlers wired to them the way Lambda wires them — only the endpoints
 * differ. The provisioning queue is drained by a local event source that hands the handler the same SQS
 * events Lambda would; the webhook intake answers on 127.0.0.1 behind a local HTTP API front (local/webhooks.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccessListSyncSummary } from '../functions/access-list-sync/create-handler.ts';
import type { accessListSyncEnvSchema } from '../functions/access-list-sync/env.ts';
import { accessListSyncWorker } from '../functions/access-list-sync/worker.ts';
import { createInventoryHandler, type InventoryRunSummary } from '../functions/inventory/create-handler.ts';
import type { inventoryEnvSchema } from '../functions/inventory/env.ts';
import { inventoryWorker } from '../functions/inventory/worker.ts';
import { createNotifierHandler } from '../functions/notifier/create-handler.ts';
import type { notifierEnvSchema } from '../functions/notifier/env.ts';
import { notifierWorker } from '../functions/notifier/worker.ts';
import { createProvisionerHandler } from '../functions/provisioner/create-handler.ts';
import type { provisionerEnvSchema } from '../functions/provisioner/env.ts';
import { provisionerWorker } from '../functions/provisioner/worker.ts';
import { webhookIntakeWorker } from '../functions/webhook-intake/worker.ts';
import { WORKERS } from '../functions/workers.ts';
import type { AwsSdkEnvironment, EnvironmentOf } from '../shared/config/env.ts';
import type { WorkerManifest } from '../shared/lambda/worker-manifest.ts';
import { SqsOperationQueue } from '../shared/operations/adapters/operation-queue.ts';
import { DynamoStatusStore } from '../shared/operations/adapters/status-store.ts';
import { type LocalAccessListSync, startLocalAccessListSync } from './access-list-sync.ts';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from './atlas-simulator/index.ts';
import {
  createLocalDynamoClients,
  createLocalS3Client,
  createLocalSqsClient,
  createQueueWithDeadLetter,
  ensureBucket,
  ensureOperationsTable,
} from './aws/clients.ts';
import { startDynamoStandIn } from './aws/dynamodb.ts';
import { startS3StandIn } from './aws/s3.ts';
import { type SchedulerStandIn, startSchedulerStandIn } from './aws/scheduler.ts';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from './aws/secrets-manager.ts';
import { startSqsStandIn } from './aws/sqs.ts';
import { lambdaContext, scheduledEvent } from './lambda-context.ts';
import { type LocalManifestWorker, startManifestWorker } from './manifest-worker.ts';
import { type SqsEventSource, startSqsEventSource } from './sqs-event-source.ts';
import { LOCAL_TICKET_CREDENTIALS, startTicketingStandIn, type TicketingStandIn } from './tickets.ts';
import { type LocalWebhooks, startLocalWebhooks } from './webhooks.ts';

export const LOCAL_SECRET_ID = 'atlas-ops/atlas-credentials';
export const LOCAL_BUCKET = 'atlas-ops-local-snapshots';
export const LOCAL_QUEUE = 'atlas-ops-operations';
export const LOCAL_TABLE = 'atlas-ops-operations';
export const LOCAL_OUTCOMES_QUEUE = 'atlas-ops-outcomes';
export const LOCAL_NOTIFIER_SECRET_ID = 'atlas-ops/notifier-credentials';
/** The schedule group of the temporary grants' ends, on the local Scheduler stand-in. */
export const LOCAL_GRANTS_SCHEDULE_GROUP = 'atlas-ops-grants';
/**
 * Where the local workers call the simulator from: the local stack's egress address, as the Elastic IPs are a
 * deployed stack's (the demo's service-account access list admits it). Protected as a deployed stack protects
 * its egress: no delete operation and no sync run removes it (`PROTECTED_ADDRESSES`).
 */
export const LOCAL_EGRESS_ADDRESSES: readonly string[] = ['127.0.0.1'];
/** The workers the local stack wires itself, by name (stand-ins, tickets, the webhook front); any other runs from its manifest. */
const WIRED_HERE = new Set<string>(
  [inventoryWorker, provisionerWorker, webhookIntakeWorker, accessListSyncWorker, notifierWorker].map(
    (w) => w.name,
  ),
);

export interface LocalStackOptions {
  /** Simulator options (seed, latency, faults, …); `port` defaults to a free one. */
  simulator?: SimulatorOptions;
  /** Extra environment for the inventory handler (e.g. `INVENTORY_CONCURRENCY`). */
  inventoryEnv?: Record<string, string>;
  /** The Lambda timeout the handler believes it has. Default 5 minutes, as deployed. */
  inventoryTimeoutMs?: number;
  /** Extra environment for the provisioning handler. */
  provisionerEnv?: Record<string, string>;
  /** Run the provisioning worker (queue, table, local event source). Default true. */
  provisioning?: boolean;
  /** Batches handled at once, as the event source's maximum concurrency does in AWS. Default 1. */
  provisioningConcurrency?: number;
  /** The provisioning function's timeout, in seconds. Default 60, as deployed. */
  provisioningTimeoutSeconds?: number;
  /**
   * Run the access-list sync worker (local/access-list-sync.ts): the demo desired state in the local S3, a run
   * on every change of it. Off unless given: its runs call the simulator on their own.
   */
  accessListSync?: LocalAccessListSyncSettings;
  /** Serve the webhook intake (local/webhooks.ts); it sends to the provisioning queue. Default true with provisioning. */
  webhooks?: boolean;
  /** Extra environment for the webhook intake (rule overrides, …). */
  webhookEnv?: Record<string, string>;
  /** The operation policy's JSON (shared/policy) the intake decides by. Default the demo's, examples/policy.json. */
  policyText?: string;
  /**
   * Run the notifier and the ticketing stand-in (local/tickets.ts): outcomes go from the provisioner to the
   * outcomes queue and from there to the stand-in. Default true with provisioning.
   */
  notifications?: boolean;
  /** Extra environment for the notifier (`RETRY_BASE_MS`, Jira transitions, …). */
  notifierEnv?: Record<string, string>;
  /**
   * The local event sources poll their queues this many ms apart with short polls, so a test's `idle()`
   * answers in ms. Default: long polls of a second, as Lambda's pollers do (they wait up to 20 s).
   */
  pollIntervalMs?: number;
  /**
   * The workers (functions/workers.ts): the five built in run as the settings above say; any other runs from
   * its manifest alone (local/manifest-worker.ts). Default WORKERS.
   */
  workers?: readonly WorkerManifest[];
}

/** The notification side of the local stack. */
export interface LocalNotifications {
  /** The ticketing stand-in every source's base URL points at. */
  tickets: TicketingStandIn;
  /** The environment the notifier runs with (stand-in endpoints, queues, table, ticketing URLs). */
  env: Record<string, string>;
  queueUrl: string;
  deadLetterQueueUrl: string;
  /** Resolves once the outcomes queue is empty and no batch is being processed. */
  idle(): Promise<void>;
}

/** The access-list sync's settings in the local stack. */
export interface LocalAccessListSyncSettings {
  /** `plan` (default, as deployed) or `apply`. */
  mode?: 'plan' | 'apply';
  /** A file mirrored into the desired-state object on every change (created from the demo when missing). */
  desiredStateFile?: string;
  /** How often the object (and file) is checked for a change, in ms. Default 1000. */
  pollMs?: number;
  /** Runs on this schedule too, in ms. Default: only on changes. */
  everyMs?: number;
  /** Extra environment for the sync handler (`PROTECTED_ADDRESSES`, `MAX_REMOVAL_SHARE`, …). */
  env?: Record<string, string>;
  onRun?: (summary: AccessListSyncSummary, text: string | undefined) => void;
  onError?: (error: unknown) => void;
}

/** The provisioning side of the local stack. */
export interface LocalProvisioning {
  /** The environment the provisioner runs with (the inventory's, and the queues and table). */
  env: Record<string, string>;
  sqsEndpoint: string;
  dynamoEndpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  table: string;
  sqs: SQSClient;
  document: DynamoDBDocumentClient;
  queue: SqsOperationQueue;
  status: DynamoStatusStore;
  /** Resolves once the queue is empty and no batch is being processed. */
  idle(): Promise<void>;
  /** Duplicate deliveries the idempotency store answered without calling Atlas. */
  duplicatesPrevented(): number;
  /** The EventBridge Scheduler stand-in the temporary grants schedule their ends on; `advance` moves its time. */
  scheduler: SchedulerStandIn;
}

/** A worker the local stack runs, as the local-stack file lists it. */
export interface RunningWorker {
  name: string;
  title: string;
  trigger: 'schedule' | 'queue' | 'http';
  /** A queue worker's queue and dead-letter queue; the HTTP worker's base URL. */
  queueUrl?: string;
  deadLetterQueueUrl?: string;
  url?: string;
}

export interface LocalStack {
  simulator: RunningSimulator;
  /** The Secrets Manager stand-in holding the Atlas secret (`LOCAL_SECRET_ID`): tests rotate or break it. */
  secrets: SecretsManagerStandIn;
  /** The environment the handlers run with (stand-in endpoints, bucket, secret id). */
  env: Record<string, string>;
  /** Invokes the inventory handler as the scheduler would. */
  invokeInventory(): Promise<InventoryRunSummary>;
  /** Copies a run's snapshot, CSV and HTML report out of the S3 stand-in into `dir`; returns their paths. */
  downloadReports(
    summary: InventoryRunSummary,
    dir: string,
  ): Promise<{ json: string; csv: string; html: string }>;
  /** Present unless `provisioning: false`. */
  provisioning: LocalProvisioning | undefined;
  /** Present when `accessListSync` is given. */
  accessListSync: LocalAccessListSync | undefined;
  /** The webhook intake: present with provisioning unless `webhooks: false`. */
  webhooks: LocalWebhooks | undefined;
  /** The notifier and the ticketing stand-in: present with provisioning unless `notifications: false`. */
  notifications: LocalNotifications | undefined;
  /** The workers of the list beyond the five built in, by name, each run from its manifest alone. */
  manifestWorkers: ReadonlyMap<string, LocalManifestWorker>;
  /** Every worker running, in the order of the workers list, with where its work arrives. */
  runningWorkers(): RunningWorker[];
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const simulator = await startSimulator({ port: 0, seed: 'demo', ...options.simulator });
  const s3StandIn = await startS3StandIn();
  const secrets = await startSecretsManagerStandIn({
    secrets: {
      [LOCAL_SECRET_ID]: JSON.stringify({
        clientId: simulator.clientId,
        clientSecret: simulator.clientSecret,
        baseUrl: simulator.url,
      }),
    },
  });
  const s3 = createLocalS3Client(s3StandIn.endpoint);
  await ensureBucket(s3, LOCAL_BUCKET);

  const inventoryEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: s3StandIn.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    ATLAS_SECRET_ID: LOCAL_SECRET_ID,
    SNAPSHOT_BUCKET: LOCAL_BUCKET,
    SNAPSHOT_PREFIX: 'inventory/',
    SNAPSHOT_S3_FORCE_PATH_STYLE: 'true',
  } satisfies AwsSdkEnvironment & EnvironmentOf<typeof inventoryEnvSchema>;
  const env: Record<string, string> = {
    ...inventoryEnv,
    POWERTOOLS_SERVICE_NAME: inventoryWorker.serviceName,
    ...options.inventoryEnv,
  };
  // The AWS SDK reads region and credentials from the process environment, as it does in Lambda.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  const inventory = createInventoryHandler(env);
  const timeoutMs = options.inventoryTimeoutMs ?? inventoryWorker.timeoutSeconds * 1000;
  const provisioning = options.provisioning === false ? undefined : await startProvisioning(env, options);
  const accessListSync = options.accessListSync
    ? await startAccessListSync(s3, inventoryEnv, options.accessListSync)
    : undefined;
  const webhooks =
    provisioning && options.webhooks !== false
      ? await startLocalWebhooks({
          secrets,
          region: inventoryEnv.AWS_REGION,
          sqsEndpoint: provisioning.local.sqsEndpoint,
          dynamoEndpoint: provisioning.local.dynamoEndpoint,
          queueUrl: provisioning.local.queueUrl,
          table: provisioning.local.table,
          outcomesQueueUrl: provisioning.notifications?.queueUrl,
          policyText: options.policyText,
          ...(options.webhookEnv ? { env: options.webhookEnv } : {}),
        })
      : undefined;
  const notifications = provisioning?.notifications
    ? await startNotifier(provisioning.notifications, {
        secrets,
        region: inventoryEnv.AWS_REGION,
        sqsEndpoint: provisioning.local.sqsEndpoint,
        dynamoEndpoint: provisioning.local.dynamoEndpoint,
        table: provisioning.local.table,
        sqs: provisioning.local.sqs,
        statusBaseUrl: webhooks?.url,
        env: options.notifierEnv,
        pollIntervalMs: options.pollIntervalMs,
      })
    : undefined;
  const manifestWorkers = await startManifestWorkers(options.workers ?? WORKERS, {
    baseEnv: {
      AWS_REGION: inventoryEnv.AWS_REGION,
      AWS_ENDPOINT_URL_S3: s3StandIn.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      ...(provisioning
        ? {
            AWS_ENDPOINT_URL_SQS: provisioning.local.sqsEndpoint,
            AWS_ENDPOINT_URL_DYNAMODB: provisioning.local.dynamoEndpoint,
          }
        : {}),
    },
    atlasSecretId: LOCAL_SECRET_ID,
    ...(provisioning ? { sqs: provisioning.local.sqs } : {}),
    ...pollingOf(options),
  });

  return {
    simulator,
    secrets,
    env,
    invokeInventory: () =>
      inventory(
        scheduledEvent(),
        lambdaContext(inventoryWorker.serviceName, timeoutMs),
      ) as Promise<InventoryRunSummary>,
    async downloadReports(summary, dir) {
      await mkdir(dir, { recursive: true });
      const paths = {
        json: join(dir, 'snapshot.json'),
        csv: join(dir, 'clusters.csv'),
        html: join(dir, 'report.html'),
      };
      for (const kind of ['json', 'csv', 'html'] as const) {
        const key = summary.keys[kind];
        if (!key) continue;
        const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
        await writeFile(paths[kind], (await object.Body?.transformToString('utf8')) ?? '');
      }
      return paths;
    },
    provisioning: provisioning?.local,
    accessListSync,
    webhooks,
    notifications: notifications?.local,
    manifestWorkers,
    runningWorkers() {
      const where = new Map<string, Partial<RunningWorker> | undefined>([
        [inventoryWorker.name, {}],
        [provisionerWorker.name, provisioning && { ...queuesOf(provisioning.local) }],
        [webhookIntakeWorker.name, webhooks && { url: webhooks.url }],
        [accessListSyncWorker.name, accessListSync && {}],
        [notifierWorker.name, notifications && { ...queuesOf(notifications.local) }],
        ...[...manifestWorkers].map(([name, worker]) => [name, queuesOf(worker)] as const),
      ]);
      return (options.workers ?? WORKERS).flatMap((manifest) => {
        const running = where.get(manifest.name);
        return running
          ? [{ name: manifest.name, title: manifest.title, trigger: manifest.trigger.kind, ...running }]
          : [];
      });
    },
    async close() {
      await Promise.all([...manifestWorkers.values()].map((worker) => worker.stop()));
      await webhooks?.close();
      await notifications?.stop();
      await accessListSync?.stop();
      await provisioning?.stop();
      s3.destroy();
      await Promise.all([simulator.close(), s3StandIn.close(), secrets.close()]);
    },
  };
}

/** SQS and DynamoDB stand-ins, the queue with its dead-letter queue, the table, and the event source. */
async function startProvisioning(
  baseEnv: Record<string, string>,
  options: LocalStackOptions,
): Promise<{
  local: LocalProvisioning;
  notifications: { queueUrl: string; deadLetterQueueUrl: string } | undefined;
  stop(): Promise<void>;
}> {
  const sqsStandIn = await startSqsStandIn();
  const dynamoStandIn = await startDynamoStandIn();
  const sqs = createLocalSqsClient(sqsStandIn.endpoint);
  const { dynamo, document } = createLocalDynamoClients(dynamoStandIn.endpoint);
  const timeoutSeconds = options.provisioningTimeoutSeconds ?? provisionerWorker.timeoutSeconds;
  const { maxReceiveCount } = provisionerWorker.trigger;
  const queues = await createQueueWithDeadLetter(sqs, LOCAL_QUEUE, {
    maxReceiveCount,
    visibilityTimeoutSeconds: 6 * timeoutSeconds,
  });
  await ensureOperationsTable(dynamo, LOCAL_TABLE);
  const outcomes =
    options.notifications === false
      ? undefined
      : await createQueueWithDeadLetter(sqs, LOCAL_OUTCOMES_QUEUE, {
          maxReceiveCount: notifierWorker.trigger.maxReceiveCount,
          visibilityTimeoutSeconds: 6 * notifierWorker.timeoutSeconds,
        });
  // The ends of temporary grants: one-time schedules that put their operation on the provisioning queue.
  const queueArn = `arn:aws:sqs:us-east-1:000000000000:${LOCAL_QUEUE}`;
  const scheduler = await startSchedulerStandIn({
    groups: [LOCAL_GRANTS_SCHEDULE_GROUP],
    deliver: async ({ arn, input }) => {
      if (arn !== queueArn) throw new Error(`no local queue has the ARN ${arn}`);
      await sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: input }));
    },
  });
  const provisionerEnv = {
    AWS_ENDPOINT_URL_SQS: sqsStandIn.endpoint,
    AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
    GRANTS_SCHEDULE_GROUP: LOCAL_GRANTS_SCHEDULE_GROUP,
    QUEUE_ARN: queueArn,
    GRANTS_SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/atlas-ops-local-scheduler',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoStandIn.endpoint,
    OPERATIONS_TABLE: LOCAL_TABLE,
    QUEUE_URL: queues.queueUrl,
    DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl,
    MAX_RECEIVE_COUNT: String(maxReceiveCount),
    PROTECTED_ADDRESSES: LOCAL_EGRESS_ADDRESSES.join(','),
    ...(outcomes ? { OUTCOMES_QUEUE_URL: outcomes.queueUrl } : {}),
  } satisfies AwsSdkEnvironment & EnvironmentOf<typeof provisionerEnvSchema>;
  const env: Record<string, string> = {
    ...baseEnv,
    ...provisionerEnv,
    POWERTOOLS_SERVICE_NAME: provisionerWorker.serviceName,
    ...options.provisionerEnv,
  };
  const provisioner = createProvisionerHandler(env);
  const sources = Array.from({ length: Math.max(1, options.provisioningConcurrency ?? 1) }, () =>
    startSqsEventSource({
      sqs,
      queueUrl: queues.queueUrl,
      handler: provisioner.handler,
      ...pollingOf(options),
      functionName: provisionerWorker.serviceName,
      timeoutMs: timeoutSeconds * 1000,
      onError: (error: unknown) =>
        process.stderr.write(`atlas-ops: provisioner batch failed: ${String(error)}\n`),
    }),
  );
  return {
    local: {
      env,
      sqsEndpoint: sqsStandIn.endpoint,
      dynamoEndpoint: dynamoStandIn.endpoint,
      queueUrl: queues.queueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      table: LOCAL_TABLE,
      sqs,
      document,
      queue: new SqsOperationQueue({
        sqs,
        queueUrl: queues.queueUrl,
        deadLetterQueueUrl: queues.deadLetterQueueUrl,
      }),
      status: new DynamoStatusStore({ client: document, table: LOCAL_TABLE }),
      idle: async () => {
        await Promise.all(sources.map((source) => source.idle()));
      },
      duplicatesPrevented: provisioner.duplicatesPrevented,
      scheduler,
    },
    notifications: outcomes,
    async stop() {
      await Promise.all(sources.map((source) => source.stop()));
      sqs.destroy();
      dynamo.destroy();
      await Promise.all([sqsStandIn.close(), dynamoStandIn.close(), scheduler.close()]);
    },
  };
}

interface NotifierWiring {
  pollIntervalMs: number | undefined;
  secrets: SecretsManagerStandIn;
  region: string;
  sqsEndpoint: string;
  dynamoEndpoint: string;
  table: string;
  sqs: SQSClient;
  statusBaseUrl: string | undefined;
  env: Record<string, string> | undefined;
}

/**
 * The ticketing stand-in, the notifier's local-only credentials in the Secrets Manager stand-in, and the
 * notifier draining the outcomes queue, every source's base URL pointed at the stand-in.
 */
async function startNotifier(
  queues: { queueUrl: string; deadLetterQueueUrl: string },
  wiring: NotifierWiring,
): Promise<{ local: LocalNotifications; stop(): Promise<void> }> {
  const tickets = await startTicketingStandIn();
  wiring.secrets.putSecret(LOCAL_NOTIFIER_SECRET_ID, JSON.stringify(LOCAL_TICKET_CREDENTIALS));
  const notifierEnv = {
    AWS_REGION: wiring.region,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: wiring.secrets.endpoint,
    AWS_ENDPOINT_URL_SQS: wiring.sqsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: wiring.dynamoEndpoint,
    NOTIFIER_SECRET_ID: LOCAL_NOTIFIER_SECRET_ID,
    OPERATIONS_TABLE: wiring.table,
    QUEUE_URL: queues.queueUrl,
    DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl,
    MAX_RECEIVE_COUNT: String(notifierWorker.trigger.maxReceiveCount),
    JIRA_BASE_URL: tickets.url,
    GITHUB_API_URL: tickets.url,
    ZENDESK_BASE_URL: tickets.url,
    CALLBACK_URLS: JSON.stringify({
      servicenow: `${tickets.url}/callbacks/servicenow`,
      standard: `${tickets.url}/callbacks/standard`,
    }),
    ...(wiring.statusBaseUrl ? { STATUS_BASE_URL: wiring.statusBaseUrl } : {}),
  } satisfies AwsSdkEnvironment & EnvironmentOf<typeof notifierEnvSchema>;
  const env: Record<string, string> = {
    ...notifierEnv,
    POWERTOOLS_SERVICE_NAME: notifierWorker.serviceName,
    ...wiring.env,
  };
  const handler = createNotifierHandler(env);
  const source: SqsEventSource = startSqsEventSource({
    sqs: wiring.sqs,
    queueUrl: queues.queueUrl,
    handler,
    ...pollingOf(wiring),
    functionName: notifierWorker.serviceName,
    timeoutMs: notifierWorker.timeoutSeconds * 1000,
    onError: (error: unknown) => process.stderr.write(`atlas-ops: notifier batch failed: ${String(error)}\n`),
  });
  return {
    local: { tickets, env, ...queues, idle: () => source.idle() },
    async stop() {
      await source.stop();
      await tickets.close();
    },
  };
}

/** The access-list sync on the S3 and Secrets Manager stand-ins, keeping to `access-list/` of the bucket. */
function startAccessListSync(
  s3: ReturnType<typeof createLocalS3Client>,
  baseEnv: AwsSdkEnvironment & { ATLAS_SECRET_ID: string },
  settings: LocalAccessListSyncSettings,
): Promise<LocalAccessListSync> {
  const env = {
    AWS_REGION: baseEnv.AWS_REGION,
    AWS_ENDPOINT_URL_S3: baseEnv.AWS_ENDPOINT_URL_S3,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: baseEnv.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    ATLAS_SECRET_ID: baseEnv.ATLAS_SECRET_ID,
    ACCESS_LIST_BUCKET: LOCAL_BUCKET,
    ACCESS_LIST_S3_FORCE_PATH_STYLE: 'true',
    SYNC_MODE: settings.mode ?? 'plan',
    PROTECTED_ADDRESSES: LOCAL_EGRESS_ADDRESSES.join(','),
  } satisfies AwsSdkEnvironment & EnvironmentOf<typeof accessListSyncEnvSchema>;
  return startLocalAccessListSync({
    s3,
    bucket: LOCAL_BUCKET,
    env: {
      ...(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >),
      POWERTOOLS_SERVICE_NAME: accessListSyncWorker.serviceName,
      ...settings.env,
    },
    timeoutMs: accessListSyncWorker.timeoutSeconds * 1000,
    pollMs: settings.pollMs ?? 1000,
    ...(settings.everyMs === undefined ? {} : { everyMs: settings.everyMs }),
    ...(settings.desiredStateFile ? { desiredStateFile: settings.desiredStateFile } : {}),
    ...(settings.onRun ? { onRun: settings.onRun } : {}),
    ...(settings.onError ? { onError: settings.onError } : {}),
  });
}

/** Every worker of `workers` the local stack does not wire itself, started from its manifest. */
async function startManifestWorkers(
  workers: readonly WorkerManifest[],
  wiring: Parameters<typeof startManifestWorker>[1],
): Promise<Map<string, LocalManifestWorker>> {
  const started = new Map<string, LocalManifestWorker>();
  for (const manifest of workers.filter((worker) => !WIRED_HERE.has(worker.name))) {
    started.set(manifest.name, await startManifestWorker(manifest, wiring));
  }
  return started;
}

/** A queue worker's queue URLs, when it has them. */
function queuesOf(worker: { queueUrl?: string | undefined; deadLetterQueueUrl?: string | undefined }) {
  return {
    ...(worker.queueUrl ? { queueUrl: worker.queueUrl } : {}),
    ...(worker.deadLetterQueueUrl ? { deadLetterQueueUrl: worker.deadLetterQueueUrl } : {}),
  };
}

/** The event sources' polling: short polls `pollIntervalMs` apart when given, long polls otherwise. */
function pollingOf(options: { pollIntervalMs?: number | undefined }): { pollIntervalMs?: number } {
  return options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs };
}
