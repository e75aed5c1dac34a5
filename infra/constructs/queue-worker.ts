import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { QueueTrigger, WorkerEnvSchema } from '../../shared/lambda/worker-manifest.ts';
import type { WorkerQueue } from './deployed-worker.ts';
import { ManifestWorker, type ManifestWorkerProps } from './manifest-worker-base.ts';
import { propChecks } from './prop-checks.ts';
import { capitalised, withArticle } from './text.ts';
import {
  ALARM_PERIOD,
  allowDeadLettering,
  deadLetterAlarm,
  type WorkerEnvironment,
  type WorkerFunction,
  workerAlarm,
} from './worker-function.ts';

/**
 * AWS: set the source queue's visibility timeout to at least six times the function timeout (plus the
 * batching window), so a batch whose invocation was throttled or retried is not redelivered while it runs.
 */
const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Below five receives a throttled or briefly failing function sends good messages to the DLQ (AWS guidance). */
const MIN_RECEIVE_COUNT = 5;
/** The redrive policy's upper limit. */
const MAX_RECEIVE_COUNT = 1000;
const MAX_VISIBILITY_TIMEOUT = Duration.hours(12);
const MAX_LAMBDA_TIMEOUT = Duration.minutes(15);
/** SQS's default, explicit so the redrive check below has a number to check against. */
const QUEUE_RETENTION = Duration.days(4);
/**
 * The DLQ keeps messages longer than the source queue: a moved message keeps its original enqueue time,
 * so a shorter (or equal) DLQ retention could expire it soon after it arrives.
 */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** The variables the queue worker sets itself: the queue worker kit reads them (shared/lambda). */
type QueueVariable = 'QUEUE_URL' | 'DEAD_LETTER_QUEUE_URL' | 'MAX_RECEIVE_COUNT';

/** What the stack may change of a queue worker's manifest defaults. */
export interface QueueWorkerSettings {
  /** Time one batch may take. @default the manifest's `timeoutSeconds` */
  readonly timeout?: Duration;
  /** @default the manifest's `memoryMb` */
  readonly memorySize?: number;
  /** The most concurrent invocations the queue drives (2–1000). @default the manifest's */
  readonly maxConcurrency?: number;
  /** Messages per invocation (1–10; up to 10,000 with a `maxBatchingWindow`). @default the manifest's */
  readonly batchSize?: number;
  /** Time to gather a fuller batch before invoking (0–5 minutes). @default none: invoke at once */
  readonly maxBatchingWindow?: Duration;
  /** Receives before SQS moves a message to the dead-letter queue (5–1000). @default the manifest's */
  readonly maxReceiveCount?: number;
  /**
   * The queue's visibility timeout. @default 6 × `timeout` + `maxBatchingWindow`, the least AWS recommends;
   * a longer one is allowed, a shorter one is refused.
   */
  readonly visibilityTimeout?: Duration;
  /** Alarm when the oldest waiting message is at least this old (at least 1 minute). @default no such alarm */
  readonly oldestMessageAlarmAge?: Duration;
}

export type QueueWorkerProps<Schema extends WorkerEnvSchema> = ManifestWorkerProps<Schema> &
  QueueWorkerSettings & {
    /** The worker's own variables; the queue worker adds the queue's and WorkerFunction the common ones. */
    readonly environment: Omit<WorkerEnvironment<Schema>, QueueVariable>;
    /** What a message in the dead-letter queue means, for its alarm. */
    readonly deadLetterAlarmDescription: string;
  };

/**
 * A worker fed by an SQS queue of its own: the queue (SSE, SSL only, 4 days) and its dead-letter queue
 * (14 days, longer than the queue, so a moved message does not expire on arrival), an event source that
 * reports per-message failures and bounds the concurrent invocations, the function (WorkerFunction) allowed
 * to dead-letter a message itself on its last receive, an alarm on anything in the dead-letter queue and,
 * when asked, on the oldest waiting message. The props are checked against SQS's and Lambda's rules: the
 * visibility timeout is at least six times the function timeout and the redrive ends before the retention.
 *
 * Create it with the id `Default` inside the worker's own construct: its resources then keep the logical ids
 * of direct children of that construct.
 */
export class QueueWorker<Schema extends WorkerEnvSchema = WorkerEnvSchema> extends ManifestWorker<
  Schema,
  QueueTrigger
> {
  readonly worker: WorkerFunction<Schema>;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly eventSource: SqsEventSource;
  /** The queue's visibility timeout (computed unless given). */
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: QueueWorkerProps<Schema>) {
    super(scope, id, props.manifest, 'queue');
    const { manifest, trigger } = this;
    const settings = checkSettings(this.owner, trigger, manifest.timeoutSeconds, props);
    this.visibilityTimeout = settings.visibilityTimeout;
    this.maxReceiveCount = settings.maxReceiveCount;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    // No AwsSolutions-SQS3 acknowledgement needed: cdk-nag sees this is the queue's DLQ.
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_RETENTION,
      visibilityTimeout: settings.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });

    // Maximum concurrency stops the pollers from invoking more functions than this, without the throttling
    // (and receive-count inflation) of reserved concurrency. Binding it grants ReceiveMessage, DeleteMessage,
    // ChangeMessageVisibility (the worker delays its retries with it), GetQueueAttributes and GetQueueUrl on
    // this queue only.
    this.eventSource = new SqsEventSource(this.queue, {
      reportBatchItemFailures: true,
      batchSize: settings.batchSize,
      maxConcurrency: settings.maxConcurrency,
      ...(props.maxBatchingWindow ? { maxBatchingWindow: props.maxBatchingWindow } : {}),
    });

    // No reserved concurrency: the event source's maximum concurrency (above) is the bound. Reserved
    // concurrency would make Lambda throttle the queue's pollers, and every throttled batch goes back to the
    // queue with its receive count raised, so a burst would push good messages to the dead-letter queue; it
    // would also take capacity from the account's unreserved pool.
    this.worker = this.createFunction(props, {
      timeout: settings.timeout,
      memorySize: settings.memorySize,
      environment: {
        ...props.environment,
        QUEUE_URL: this.queue.queueUrl,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        MAX_RECEIVE_COUNT: String(settings.maxReceiveCount),
      } as unknown as WorkerEnvironment<Schema>,
      events: [this.eventSource],
      // Expected failures are reported per message, not thrown, so any error is unexpected: a crash, a
      // timeout or a bug.
      errorsAlarmDescription: `The ${manifest.title.toLowerCase()} function failed a whole invocation (see the function log group).`,
    });
    allowDeadLettering(this.role, this.deadLetterQueue);

    this.worker.addAlarm(deadLetterAlarm(this, this.deadLetterQueue, props.deadLetterAlarmDescription));
    if (settings.oldestMessageAlarmAge) {
      const age = settings.oldestMessageAlarmAge;
      this.worker.addAlarm(
        workerAlarm(this, 'OldestMessageAlarm', {
          metric: this.queue.metricApproximateAgeOfOldestMessage({
            period: ALARM_PERIOD,
            statistic: Stats.MAXIMUM,
          }),
          threshold: age.toSeconds(),
          description:
            `${withArticle(trigger.carries, { capital: true })} has waited at least ` +
            `${age.toHumanString()} on the ${manifest.title.toLowerCase()} queue ` +
            '(the worker is failing, throttled or at its maximum concurrency).',
        }),
      );
    }
  }

  /** The queues the dashboard graphs for this worker. */
  get queues(): readonly WorkerQueue[] {
    const { carries } = this.trigger;
    return [
      { title: `${capitalised(carries)}s queue`, queue: this.queue },
      { title: 'Dead-letter queue', queue: this.deadLetterQueue },
    ];
  }
}

interface Settings {
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly maxConcurrency: number;
  readonly batchSize: number;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;
  readonly oldestMessageAlarmAge: Duration | undefined;
}

/** The settings with the manifest's defaults, checked; throws one error naming the setting and its rule. */
function checkSettings(
  owner: string,
  trigger: QueueTrigger,
  timeoutSeconds: number,
  props: QueueWorkerSettings & { readonly manifest: { readonly memoryMb: number } },
): Settings {
  const { fail, integer, duration } = propChecks(owner);
  const timeout = duration(
    'timeout',
    props.timeout ?? Duration.seconds(timeoutSeconds),
    Duration.seconds(1),
    MAX_LAMBDA_TIMEOUT,
  );
  const memorySize = integer('memorySize', props.memorySize ?? props.manifest.memoryMb, 128, 10_240);
  const maxConcurrency = integer('maxConcurrency', props.maxConcurrency ?? trigger.maxConcurrency, 2, 1000);
  const window = props.maxBatchingWindow ?? Duration.seconds(0);
  if (window.toSeconds() > 300) {
    fail(`maxBatchingWindow must be at most 5 minutes, got ${window.toHumanString()}`);
  }
  const batchSize = integer(
    'batchSize',
    props.batchSize ?? trigger.batchSize,
    1,
    props.maxBatchingWindow ? 10_000 : 10,
  );
  const maxReceiveCount = integer(
    'maxReceiveCount',
    props.maxReceiveCount ?? trigger.maxReceiveCount,
    MIN_RECEIVE_COUNT,
    MAX_RECEIVE_COUNT,
  );
  const oldestMessageAlarmAge = props.oldestMessageAlarmAge;
  if (oldestMessageAlarmAge && oldestMessageAlarmAge.toSeconds() < 60) {
    fail(`oldestMessageAlarmAge must be at least 1 minute, got ${oldestMessageAlarmAge.toHumanString()}`);
  }

  const leastVisibility = Duration.seconds(
    VISIBILITY_TIMEOUT_FACTOR * timeout.toSeconds() + window.toSeconds(),
  );
  const visibilityTimeout = props.visibilityTimeout ?? leastVisibility;
  if (visibilityTimeout.toSeconds() < leastVisibility.toSeconds()) {
    fail(
      `visibilityTimeout ${visibilityTimeout.toHumanString()} is shorter than ${VISIBILITY_TIMEOUT_FACTOR} × the ` +
        `${timeout.toHumanString()} function timeout` +
        (props.maxBatchingWindow ? ` + the ${window.toHumanString()} batching window` : '') +
        ` (${leastVisibility.toHumanString()}); a batch could be delivered again while it is still running`,
    );
  }
  if (visibilityTimeout.toSeconds() > MAX_VISIBILITY_TIMEOUT.toSeconds()) {
    fail(`visibilityTimeout ${visibilityTimeout.toHumanString()} exceeds the SQS maximum of 12 hours`);
  }
  // A message must be able to use up all its receives before the queue's retention deletes it; otherwise
  // it expires without reaching the dead-letter queue and nobody learns it failed.
  const redriveSeconds = maxReceiveCount * visibilityTimeout.toSeconds();
  if (redriveSeconds >= QUEUE_RETENTION.toSeconds()) {
    fail(
      `maxReceiveCount ${maxReceiveCount} × visibilityTimeout ${visibilityTimeout.toHumanString()} ` +
        `(${Duration.seconds(redriveSeconds).toHumanString()}) is not shorter than the queue's ` +
        `${QUEUE_RETENTION.toHumanString()} retention; messages would expire before reaching the dead-letter queue`,
    );
  }
  return {
    timeout,
    memorySize,
    maxConcurrency,
    batchSize,
    maxReceiveCount,
    visibilityTimeout,
    oldestMessageAlarmAge,
  };
}

const QUEUE_SETTINGS = [
  'timeout',
  'memorySize',
  'maxConcurrency',
  'batchSize',
  'maxBatchingWindow',
  'maxReceiveCount',
  'visibilityTimeout',
  'oldestMessageAlarmAge',
] as const satisfies readonly (keyof QueueWorkerSettings)[];

/** The queue settings of `props`, given ones only (the manifest's defaults apply to the rest). */
export function queueWorkerSettings(props: QueueWorkerSettings): QueueWorkerSettings {
  return Object.fromEntries(
    QUEUE_SETTINGS.flatMap((key) => (props[key] === undefined ? [] : [[key, props[key]]])),
  ) as QueueWorkerSettings;
}
