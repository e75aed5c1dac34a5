import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { type Alarm, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { provisionerEnvSchema, SERVICE_NAME } from '../../functions/provisioner/env.ts';
import { PROVISIONING_MAX_CONCURRENCY, STATUS_TTL_DAYS } from '../../shared/config/rules.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import { stackOutput } from './stack-output.ts';
import type { StaticEgress } from './static-egress.ts';
import {
  ALARM_PERIOD,
  allowDeadLettering,
  deadLetterAlarm,
  WorkerFunction,
  type WorkerSettings,
  workerAlarm,
  workerSettings,
} from './worker-function.ts';

/** How long one batch may take unless `timeout` says otherwise. */
export const DEFAULT_PROVISIONING_TIMEOUT = Duration.seconds(60);
/** The partition key of the operations table, shared by idempotency and status records. */
export const OPERATIONS_TABLE_KEY = 'id';
/** The operations table's TTL attribute (epoch seconds). */
export const OPERATIONS_TABLE_TTL_ATTRIBUTE = 'expiresAt';

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

export interface ProvisioningWorkerProps extends WorkerSettings {
  /** The Atlas credentials; the function may read this one secret and nothing else. */
  readonly credentials: AtlasCredentials;
  /** Run in this VPC's private subnets so Atlas sees the calls come from its Elastic IPs. @default no VPC */
  readonly staticEgress?: StaticEgress;
  /** Time one batch may take. @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * The most concurrent invocations the queue drives (2–1000, shared/config/rules.ts): the bound on
   * parallel calls to Atlas.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /** Messages per invocation (1–10; up to 10,000 with a `maxBatchingWindow`). @default 10 */
  readonly batchSize?: number;
  /** Time to gather a fuller batch before invoking (0–5 minutes). @default none: invoke at once */
  readonly maxBatchingWindow?: Duration;
  /** Receives before SQS moves a message to the dead-letter queue (5–1000). @default 6 */
  readonly maxReceiveCount?: number;
  /**
   * The queue's visibility timeout. @default 6 × `timeout` + `maxBatchingWindow`, the least AWS recommends;
   * a longer one is allowed, a shorter one is refused.
   */
  readonly visibilityTimeout?: Duration;
  /** Days an operation's status and idempotency records are kept after their last update (1–3650). @default 30 */
  readonly statusTtlDays?: number;
  /** Alarm when the oldest waiting message is at least this old. @default Duration.minutes(15) */
  readonly oldestMessageAlarmAge?: Duration;
}

/**
 * The queue-triggered provisioning worker: each SQS message describes one Atlas operation; a Lambda runs
 * it (exactly once in effect, through Powertools idempotency on the operations table), records its status
 * in the same table and reports per-message failures, which SQS redelivers and finally dead-letters.
 */
export class ProvisioningWorker extends Construct {
  readonly function: LambdaFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Idempotency and status records, keyed by `id` (S), expired through `expiresAt`. */
  readonly table: Table;
  readonly eventSource: SqsEventSource;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly alarms: readonly Alarm[];
  /** The queue's visibility timeout (computed unless given). */
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: ProvisioningWorkerProps) {
    super(scope, id);
    const settings = checkProps(props);
    this.visibilityTimeout = settings.visibilityTimeout;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    // No AwsSolutions-SQS3 acknowledgement needed: cdk-nag sees this is the provisioning queue's DLQ.

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_RETENTION,
      visibilityTimeout: settings.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });

    this.table = new Table(this, 'OperationsTable', {
      partitionKey: { name: OPERATIONS_TABLE_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: OPERATIONS_TABLE_TTL_ATTRIBUTE,
      // The AWS managed key (alias/aws/dynamodb): encrypted at rest with key use visible in CloudTrail, and
      // no key policy to keep in step with the role (a customer managed key would need both).
      encryption: TableEncryption.AWS_MANAGED,
      // The status records are the audit trail of what was done to Atlas; they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Maximum concurrency stops the pollers from invoking more functions than this, without the throttling
    // (and receive-count inflation) of reserved concurrency: the bound on parallel Atlas operations.
    // Binding it grants ReceiveMessage, DeleteMessage, ChangeMessageVisibility (the handler delays retries
    // of transient failures with it), GetQueueAttributes and GetQueueUrl on this queue only.
    this.eventSource = new SqsEventSource(this.queue, {
      reportBatchItemFailures: true,
      batchSize: settings.batchSize,
      maxConcurrency: settings.maxConcurrency,
      ...(props.maxBatchingWindow ? { maxBatchingWindow: props.maxBatchingWindow } : {}),
    });

    // No reserved concurrency: the event source's maximum concurrency (above) is what bounds the calls
    // to Atlas. Reserved concurrency would make Lambda throttle the queue's pollers, and every throttled
    // batch goes back to the queue with its receive count raised, so a burst would push good messages
    // to the dead-letter queue; it would also take capacity from the account's unreserved pool.
    // Id `Default` so the log group, role and function keep their logical ids (see WorkerFunction).
    const worker = new WorkerFunction(this, 'Default', {
      entry: 'functions/provisioner/handler.ts',
      description: 'atlas-ops: runs the Atlas operations queued on the provisioning queue',
      roleDescription: 'atlas-ops provisioning worker',
      serviceName: SERVICE_NAME,
      timeout: settings.timeout,
      memorySize: settings.memorySize,
      credentials: props.credentials,
      environmentSchema: provisionerEnvSchema,
      environment: {
        OPERATIONS_TABLE: this.table.tableName,
        QUEUE_URL: this.queue.queueUrl,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        MAX_RECEIVE_COUNT: String(settings.maxReceiveCount),
        STATUS_TTL_DAYS: String(settings.statusTtlDays),
      },
      events: [this.eventSource],
      // Expected failures are reported per message, not thrown, so any error is unexpected: a crash, a
      // timeout or a bug.
      errorsAlarmDescription:
        'The provisioning function failed a whole invocation (see the function log group).',
      ...workerSettings(props),
      staticEgress: props.staticEgress,
    });
    this.function = worker.function;
    this.role = worker.role;
    this.logGroup = worker.logGroup;

    allowDeadLettering(this.role, this.deadLetterQueue);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        // What Powertools idempotency and the status records need: single-item reads and conditional
        // writes by key. No Query or Scan.
        sid: 'ReadWriteOperationRecords',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
      }),
    );

    const oldestMessageAge = settings.oldestMessageAlarmAge;
    this.alarms = [
      worker.addAlarm(
        deadLetterAlarm(
          this,
          this.deadLetterQueue,
          'An Atlas operation is in the provisioning dead-letter queue (permanent failure or retries exhausted).',
        ),
      ),
      worker.addAlarm(
        workerAlarm(this, 'OldestMessageAlarm', {
          metric: this.queue.metricApproximateAgeOfOldestMessage({
            period: ALARM_PERIOD,
            statistic: Stats.MAXIMUM,
          }),
          threshold: oldestMessageAge.toSeconds(),
          description:
            `An Atlas operation has waited at least ${oldestMessageAge.toHumanString()} on the provisioning queue ` +
            '(the worker is failing, throttled or at its maximum concurrency).',
        }),
      ),
      worker.errorsAlarm,
    ];

    stackOutput(this, 'ProvisioningQueueUrl', {
      value: this.queue.queueUrl,
      description: 'Send operation messages here (one Atlas operation per message)',
    });
    stackOutput(this, 'ProvisioningDeadLetterQueueUrl', {
      value: this.deadLetterQueue.queueUrl,
      description: 'Operations that failed permanently or ran out of retries',
    });
    stackOutput(this, 'OperationsTableName', {
      value: this.table.tableName,
      description: 'Status (and idempotency) records of the operations, by operation id',
    });
    stackOutput(this, 'ProvisioningFunctionName', {
      value: this.function.functionName,
      description: 'The provisioning Lambda',
    });
  }
}

interface Settings {
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly maxConcurrency: number;
  readonly batchSize: number;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;
  readonly statusTtlDays: number;
  readonly oldestMessageAlarmAge: Duration;
}

/** The props with their defaults, checked; throws one error naming the prop and the rule it breaks. */
function checkProps(props: ProvisioningWorkerProps): Settings {
  const fail = (message: string): never => {
    throw new Error(`ProvisioningWorker: ${message}`);
  };
  const integer = (name: string, value: number, min: number, max: number) => {
    if (Token.isUnresolved(value)) fail(`${name} must be a number known at synth time`);
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(`${name} must be an integer from ${min} to ${max}, got ${value}`);
    }
    return value;
  };

  const timeout = props.timeout ?? DEFAULT_PROVISIONING_TIMEOUT;
  if (timeout.toMilliseconds() < 1000 || timeout.toSeconds() > MAX_LAMBDA_TIMEOUT.toSeconds()) {
    fail(`timeout must be from 1 second to 15 minutes, got ${timeout.toHumanString()}`);
  }
  const memorySize = integer('memorySize', props.memorySize ?? 512, 128, 10_240);
  const maxConcurrency = integer(
    'maxConcurrency',
    props.maxConcurrency ?? PROVISIONING_MAX_CONCURRENCY.default,
    PROVISIONING_MAX_CONCURRENCY.min,
    PROVISIONING_MAX_CONCURRENCY.max,
  );
  const window = props.maxBatchingWindow ?? Duration.seconds(0);
  if (window.toSeconds() > 300) {
    fail(`maxBatchingWindow must be at most 5 minutes, got ${window.toHumanString()}`);
  }
  const batchSize = integer('batchSize', props.batchSize ?? 10, 1, props.maxBatchingWindow ? 10_000 : 10);
  const maxReceiveCount = integer(
    'maxReceiveCount',
    props.maxReceiveCount ?? 6,
    MIN_RECEIVE_COUNT,
    MAX_RECEIVE_COUNT,
  );
  const statusTtlDays = integer(
    'statusTtlDays',
    props.statusTtlDays ?? STATUS_TTL_DAYS.default,
    STATUS_TTL_DAYS.min,
    STATUS_TTL_DAYS.max,
  );

  const oldestMessageAlarmAge = props.oldestMessageAlarmAge ?? Duration.minutes(15);
  if (oldestMessageAlarmAge.toSeconds() < 60) {
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
    statusTtlDays,
    oldestMessageAlarmAge,
  };
}
