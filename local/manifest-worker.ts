/**
 * A worker run locally from its manifest alone, as infra/constructs/manifest-worker.ts deploys it: a queue
 * worker gets its own queue and dead-letter queue on the SQS stand-in and a local event source; a scheduled
 * worker is invoked on demand (`invoke()`) the way the scheduler invokes it. Either gets the variables every
 * worker of its kind gets (the stand-ins' endpoints, the Atlas secret when it calls Atlas, its queue) and
 * runs its real handler factory.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ATLAS_SECRET_VARIABLE, callsAtlas, type WorkerManifest } from '../shared/lambda/worker-manifest.ts';
import { createQueueWithDeadLetter } from './aws/clients.ts';
import { lambdaContext, scheduledEvent } from './lambda-context.ts';
import { type SqsBatchHandler, startSqsEventSource } from './sqs-event-source.ts';

/** A worker the local stack runs from its manifest. */
export interface LocalManifestWorker {
  readonly manifest: WorkerManifest;
  /** The environment its handler runs with. */
  readonly env: Readonly<Record<string, string>>;
  /** A queue worker's queue and dead-letter queue. */
  readonly queueUrl?: string;
  readonly deadLetterQueueUrl?: string;
  /** Invokes the handler once with `event` (a scheduled worker: the scheduler's event when none is given). */
  invoke(event?: unknown): Promise<unknown>;
  /** Resolves once a queue worker's queue is empty and no batch is running (at once for a scheduled one). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface ManifestWorkerWiring {
  /** The environment every worker gets: region, the stand-ins' endpoints. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** The Atlas credentials secret in the Secrets Manager stand-in. */
  readonly atlasSecretId: string;
  /** The SQS stand-in, for a queue worker. */
  readonly sqs?: SQSClient;
  /** Short polls this many ms apart (tests). @default long polls */
  readonly pollIntervalMs?: number;
}

/** Starts `manifest`'s worker on the local stand-ins. */
export async function startManifestWorker(
  manifest: WorkerManifest,
  wiring: ManifestWorkerWiring,
): Promise<LocalManifestWorker> {
  const timeoutMs = manifest.timeoutSeconds * 1000;
  const env: Record<string, string> = {
    ...wiring.baseEnv,
    POWERTOOLS_SERVICE_NAME: manifest.serviceName,
    ...(callsAtlas(manifest) ? { [ATLAS_SECRET_VARIABLE]: wiring.atlasSecretId } : {}),
  };
  const trigger = manifest.trigger;
  if (trigger.kind === 'http') {
    throw new Error(`Worker ${manifest.name}: an HTTP worker needs local wiring of its own (its API)`);
  }
  if (trigger.kind === 'schedule') {
    const handler = (await manifest.loadHandler())(env) as (
      event: unknown,
      context: unknown,
    ) => Promise<unknown>;
    return {
      manifest,
      env,
      invoke: (event) => handler(event ?? scheduledEvent(), lambdaContext(manifest.serviceName, timeoutMs)),
      idle: async () => undefined,
      stop: async () => undefined,
    };
  }
  const sqs = wiring.sqs;
  if (!sqs) throw new Error(`Worker ${manifest.name}: a queue worker needs the SQS stand-in`);
  // As deployed (infra/constructs/queue-worker.ts): the manifest's receive count, 6 × the timeout visible.
  const queues = await createQueueWithDeadLetter(sqs, `atlas-ops-${manifest.name}`, {
    maxReceiveCount: trigger.maxReceiveCount,
    visibilityTimeoutSeconds: 6 * manifest.timeoutSeconds,
  });
  Object.assign(env, {
    QUEUE_URL: queues.queueUrl,
    DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl,
    MAX_RECEIVE_COUNT: String(trigger.maxReceiveCount),
  });
  const handler = (await manifest.loadHandler())(env) as SqsBatchHandler;
  const source = startSqsEventSource({
    sqs,
    queueUrl: queues.queueUrl,
    handler,
    batchSize: trigger.batchSize,
    ...(wiring.pollIntervalMs === undefined ? {} : { pollIntervalMs: wiring.pollIntervalMs }),
    functionName: manifest.serviceName,
    timeoutMs,
    onError: (error: unknown) =>
      process.stderr.write(`atlas-ops: ${manifest.name} batch failed: ${String(error)}\n`),
  });
  return {
    manifest,
    env,
    ...queues,
    invoke: (event) => handler(event as never, lambdaContext(manifest.serviceName, timeoutMs)),
    idle: () => source.idle(),
    stop: () => source.stop(),
  };
}
