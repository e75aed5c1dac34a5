/**
 * A worker's manifest: what the worker is, declared once as data in its own folder (functions/<name>/worker.ts)
 * and listed in functions/workers.ts. The stack deploys from it (infra/constructs/queue-worker.ts and
 * scheduled-worker.ts own what every queue or scheduled worker has alike), the dashboard draws a row from it,
 * the local stack runs it, the benchmarks bundle it and the tests iterate the list. A worker's own construct,
 * when it has one, holds only what is special to it: its table, its bucket, its grants.
 *
 * @example
 * export const reportWorker = defineWorker({ name: 'report', entry: 'functions/report/handler.ts', … });
 */
import type { MetricCatalogue } from '../config/metrics.ts';
import type * as z from '../config/zod.ts';

/** Invoked by an EventBridge Scheduler schedule (asynchronously: Lambda retries a failed run). */
export interface ScheduleTrigger {
  readonly kind: 'schedule';
  /** The default EventBridge Scheduler expression, UTC: `rate(6 hours)`, `cron(0 6 * * ? *)`. */
  readonly schedule: string;
  /** Lambda's retries of a run that failed once accepted (0–2). */
  readonly retryAttempts: number;
  /** Never two runs at once (reserved concurrency 1: Lambda holds a second event back until the first ends). */
  readonly oneRunAtATime?: boolean;
}

/** Fed by an SQS queue of its own, with a dead-letter queue; failures are reported per message. */
export interface QueueTrigger {
  readonly kind: 'queue';
  /** What one message is, in the queue's and its outputs' words: `operation`, `outcome`. */
  readonly carries: string;
  /** Receives before a message goes to the dead-letter queue (5–1000; the worker dead-letters on the last). */
  readonly maxReceiveCount: number;
  /** The most concurrent invocations the queue drives (2–1000). */
  readonly maxConcurrency: number;
  /** Messages per invocation (1–10). */
  readonly batchSize: number;
}

/** Behind an HTTP API (its construct owns the API: routes, throttling, authorisation). */
export interface HttpTrigger {
  readonly kind: 'http';
}

export type WorkerTrigger = ScheduleTrigger | QueueTrigger | HttpTrigger;

/** A worker's environment schema (functions/<name>/env.ts): one zod object, one key per variable. */
export type WorkerEnvSchema = z.core.$ZodObject;

/** Builds a worker's handler for an environment: functions/<name>/create-handler.ts, loaded when run. */
export type HandlerFactory = (
  env: Record<string, string | undefined>,
) => (event: never, context: never) => Promise<unknown>;

export interface WorkerManifest<Schema extends WorkerEnvSchema = WorkerEnvSchema> {
  /** The folder's name, kebab-case: `access-list-sync`. Lambda function names and local names derive from it. */
  readonly name: string;
  /** The worker in a heading: `Access-list sync`. */
  readonly title: string;
  /** One line under the heading: `Operation outcomes → tickets`. */
  readonly summary: string;
  /** The Lambda function's description. */
  readonly description: string;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` of its logs and the dimension of its metrics. */
  readonly serviceName: string;
  /** The handler module, relative to the repository root: `functions/<name>/handler.ts`. */
  readonly entry: string;
  /** The default timeout of one invocation, in seconds (1–900). */
  readonly timeoutSeconds: number;
  /** The default memory, in MB (128–10240). */
  readonly memoryMb: number;
  readonly trigger: WorkerTrigger;
  /** What the function reads from its environment, checked at cold start and at synth. */
  readonly environment: Schema;
  /** The metrics it emits beside the Atlas-call counts every Atlas worker gets (ATLAS_CALL_METRICS). */
  readonly metrics: MetricCatalogue;
  /** `NODE_OPTIONS`, e.g. V8 flags. @default none */
  readonly nodeOptions?: string;
  /** Its handler factory, imported only when the worker runs (never at synth). */
  readonly loadHandler: () => Promise<HandlerFactory>;
}

/** The variable a worker that calls Atlas reads its credentials secret from. */
export const ATLAS_SECRET_VARIABLE = 'ATLAS_SECRET_ID';

/** True when the worker calls Atlas: its schema reads `ATLAS_SECRET_ID`, so it gets the credentials. */
export function callsAtlas(manifest: WorkerManifest): boolean {
  return ATLAS_SECRET_VARIABLE in manifest.environment._zod.def.shape;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks a manifest and returns it as it is, its literal types kept (`trigger.kind` narrows); throws one error naming the worker and every field that is
 * wrong, when the module declaring it is loaded (so no synth, local run or test starts with a bad one).
 */
export function defineWorker<const Manifest extends WorkerManifest<WorkerEnvSchema>>(
  manifest: Manifest,
): Manifest {
  const problems: string[] = [];
  const integer = (field: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${field} must be an integer from ${min} to ${max}, got ${value}`);
    }
  };
  if (!NAME.test(manifest.name))
    problems.push(`name must be kebab-case, got ${JSON.stringify(manifest.name)}`);
  if (!manifest.entry.endsWith('/handler.ts')) {
    problems.push(`entry must be a handler.ts module, got ${JSON.stringify(manifest.entry)}`);
  }
  integer('timeoutSeconds', manifest.timeoutSeconds, 1, 900);
  integer('memoryMb', manifest.memoryMb, 128, 10_240);
  const trigger = manifest.trigger;
  if (trigger.kind === 'queue') {
    integer('trigger.maxReceiveCount', trigger.maxReceiveCount, 5, 1000);
    integer('trigger.maxConcurrency', trigger.maxConcurrency, 2, 1000);
    integer('trigger.batchSize', trigger.batchSize, 1, 10);
    if (!NAME.test(trigger.carries)) problems.push(`trigger.carries must be a word, got ${trigger.carries}`);
  } else if (trigger.kind === 'schedule') {
    integer('trigger.retryAttempts', trigger.retryAttempts, 0, 2);
  }
  if (problems.length > 0) throw new Error(`Worker ${manifest.name}: ${problems.join('; ')}`);
  return manifest;
}
