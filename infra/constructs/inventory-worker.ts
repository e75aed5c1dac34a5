import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type Alarm, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Schedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { inventoryEnvSchema, SERVICE_NAME } from '../../functions/inventory/env.ts';
import { INVENTORY_V8_FLAGS } from '../../functions/inventory/runtime.ts';
import { INVENTORY_CONCURRENCY } from '../../shared/config/rules.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import { listPrefixStatement } from './bucket-prefix.ts';
import { ScheduledInvocation } from './scheduled-invocation.ts';
import { stackOutput } from './stack-output.ts';
import type { StaticEgress } from './static-egress.ts';
import {
  ALARM_PERIOD,
  logicalIdOf,
  WorkerFunction,
  type WorkerSettings,
  workerAlarm,
  workerSettings,
} from './worker-function.ts';

/** How long one run may take unless `timeout` says otherwise. */
export const DEFAULT_TIMEOUT = Duration.minutes(5);
/** How often the inventory runs unless `schedule` says otherwise. */
export const DEFAULT_INVENTORY_SCHEDULE = 'rate(6 hours)';

/** Where the worker writes (functions/inventory/env.ts reads it back as `SNAPSHOT_PREFIX`). */
export const SNAPSHOT_PREFIX = 'inventory/';
/**
 * The dated runs, `inventory/YYYY/MM/DD/<run>/…` (shared/aws/snapshot-store.ts), all start with the
 * century; `inventory/latest.json` does not, so the expiry rule on this prefix never deletes the pointer.
 */
export const DATED_SNAPSHOT_PREFIX = `${SNAPSHOT_PREFIX}20`;

/**
 * Lambda environment variables share a 4 KB budget; rules bigger than this belong in a file or a parameter,
 * not an environment variable.
 */
const MAX_RULES_JSON_BYTES = 2048;

export interface InventoryWorkerProps extends WorkerSettings {
  /** The Atlas credentials; the function may read this one secret and nothing else. */
  readonly credentials: AtlasCredentials;
  /**
   * EventBridge Scheduler expression, UTC: `rate(6 hours)`, `cron(0 6 * * ? *)`.
   * @default 'rate(6 hours)'
   */
  readonly schedule?: string;
  /** Limit the inventory to these organizations (24 lowercase hex digits). @default every organization the credentials see */
  readonly orgIds?: readonly string[];
  /** Limit the inventory to these projects (24 lowercase hex digits). @default every project the credentials see */
  readonly projectIds?: readonly string[];
  /** Projects listed in parallel (1–64, shared/config/rules.ts). @default 12 */
  readonly concurrency?: number;
  /** Finding-rule overrides, passed to the function as JSON (`INVENTORY_RULES`). @default the built-in rules */
  readonly rules?: object;
  /** Days a dated snapshot is kept. @default 365 */
  readonly snapshotRetentionDays?: number;
  /** Run in this VPC's private subnets so Atlas sees the calls come from its Elastic IPs. @default no VPC */
  readonly staticEgress?: StaticEgress;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /**
   * MB. A run needs about 130 MB plus 50 MB per 10,000 clusters (bench: inventory); the default holds
   * 80,000 clusters (~525 MB) with room to spare, and Lambda's CPU share grows with it.
   * @default 1024
   */
  readonly memorySize?: number;
}

/**
 * The scheduled cluster inventory: an EventBridge Scheduler schedule invokes a Lambda that lists every
 * cluster the Atlas credentials can see and stores a dated snapshot (plus a `latest.json` pointer) in S3.
 */
export class InventoryWorker extends Construct {
  readonly function: LambdaFunction;
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly scheduledInvocation: ScheduledInvocation;
  readonly schedule: Schedule;
  readonly scheduleGroup: ScheduleGroup;
  /** The schedule's dead-letter queue. */
  readonly deadLetterQueue: Queue;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: InventoryWorkerProps) {
    super(scope, id);
    const timeout = props.timeout ?? DEFAULT_TIMEOUT;
    const concurrency = props.concurrency ?? INVENTORY_CONCURRENCY.default;
    if (
      !Number.isInteger(concurrency) ||
      concurrency < INVENTORY_CONCURRENCY.min ||
      concurrency > INVENTORY_CONCURRENCY.max
    ) {
      throw new Error(
        `InventoryWorker: concurrency must be an integer from ${INVENTORY_CONCURRENCY.min} to ` +
          `${INVENTORY_CONCURRENCY.max}, got ${concurrency}`,
      );
    }
    const retentionDays = props.snapshotRetentionDays ?? 365;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(
        `InventoryWorker: snapshotRetentionDays must be a positive integer, got ${retentionDays}`,
      );
    }
    const rulesJson = props.rules === undefined ? undefined : JSON.stringify(props.rules);
    if (rulesJson !== undefined && Buffer.byteLength(rulesJson) > MAX_RULES_JSON_BYTES) {
      throw new Error(
        `InventoryWorker: rules take ${Buffer.byteLength(rulesJson)} bytes of JSON; at most ${MAX_RULES_JSON_BYTES} fit in the environment`,
      );
    }

    // Bucket-policy delivery for server access logs (the current AWS recommendation) instead of the
    // legacy log-delivery ACL, which needs ACLs switched back on for the log bucket. The feature flag is
    // read from the construct tree, so setting it here scopes it to this worker's buckets.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      encryption: BucketEncryption.S3_MANAGED, // server access logging can only write SSE-S3
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(retentionDays) }],
    });
    // No access logs of its own (cdk-nag S1 recognises a log destination): they would log every delivery.

    this.bucket = new Bucket(this, 'SnapshotBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'snapshot-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
      lifecycleRules: [
        {
          // Only the dated runs expire; `latest.json` sits directly under the prefix and must survive so
          // the next run can diff against the previous one however long the schedule was paused.
          id: 'expire-dated-snapshots',
          prefix: DATED_SNAPSHOT_PREFIX,
          expiration: Duration.days(retentionDays),
        },
        {
          // Versioning protects against a bad write of `latest.json`; old versions need not live long.
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    // No reserved concurrency: reserving even 1 takes it from the account's unreserved pool, which fails
    // the deployment in accounts at their limit. Runs cannot pile up anyway: the schedule is hours apart
    // and the timeout (checked against a rate schedule by ScheduledInvocation) is minutes.
    // Id `Default` so the log group, role and function keep their logical ids (see WorkerFunction).
    const worker = new WorkerFunction(this, 'Default', {
      entry: 'functions/inventory/handler.ts',
      description: 'atlas-ops: scheduled inventory of every Atlas cluster the credentials can see',
      roleDescription: 'atlas-ops inventory worker',
      serviceName: SERVICE_NAME,
      timeout,
      memorySize: props.memorySize ?? 1024,
      // EventBridge Scheduler invokes the function asynchronously: its retries and dead-letter queue
      // (ScheduledInvocation) cover only an invocation Lambda did not accept. A run that fails once accepted
      // is retried by Lambda alone: up to twice, 1 minute and then 2 minutes after a failure. Safe: a failed
      // run never moves `latest.json` (written last), so a retry compares with the last complete run, and
      // every run writes a folder of its own. A run that fails every attempt raises the errors alarm; the
      // next scheduled run starts from the same point.
      // (https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html,
      // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html)
      retryAttempts: 2,
      credentials: props.credentials,
      environmentSchema: inventoryEnvSchema,
      environment: {
        SNAPSHOT_BUCKET: this.bucket.bucketName,
        SNAPSHOT_PREFIX,
        INVENTORY_CONCURRENCY: String(concurrency),
        INVENTORY_ORG_IDS: props.orgIds?.length ? props.orgIds.join(',') : undefined,
        INVENTORY_PROJECT_IDS: props.projectIds?.length ? props.projectIds.join(',') : undefined,
        INVENTORY_RULES: rulesJson,
      },
      // A small young generation keeps the peak RSS of a 20,000-cluster run near 230 MB (bench: inventory)
      // at no cost in speed: the run is network-bound.
      nodeOptions: INVENTORY_V8_FLAGS,
      errorsAlarmDescription: 'The Atlas inventory run failed (see the function log group).',
      ...workerSettings(props),
      staticEgress: props.staticEgress,
    });
    this.function = worker.function;
    this.role = worker.role;
    this.logGroup = worker.logGroup;

    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadWriteSnapshots',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(`${SNAPSHOT_PREFIX}*`)],
      }),
    );
    // readLatest GETs `latest.json`, which is absent before the first run.
    this.role.addToPrincipalPolicy(listPrefixStatement('ListSnapshotPrefix', this.bucket, SNAPSHOT_PREFIX));
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalIdOf(this.bucket)}.Arn>/${SNAPSHOT_PREFIX}*]`,
      reason:
        `GetObject/PutObject on the snapshot prefix ${SNAPSHOT_PREFIX}* only: each run writes new dated keys, ` +
        'so they cannot be listed in advance.',
    });

    // A child of the function's construct with the id `Default`: its resources keep the logical ids they
    // had as direct children of this worker (see ScheduledInvocation).
    this.scheduledInvocation = new ScheduledInvocation(worker, 'Default', {
      schedule: props.schedule ?? DEFAULT_INVENTORY_SCHEDULE,
      description: 'atlas-ops: run the Atlas cluster inventory',
      label: 'inventory',
    });
    this.schedule = this.scheduledInvocation.schedule;
    this.scheduleGroup = this.scheduledInvocation.scheduleGroup;
    this.deadLetterQueue = this.scheduledInvocation.deadLetterQueue;

    worker.addAlarm(
      workerAlarm(this, 'DurationNearTimeoutAlarm', {
        metric: this.function.metricDuration({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        description: `An inventory run took at least 80% of the ${timeout.toHumanString()} timeout; raise the timeout or concurrency.`,
        threshold: Math.floor(timeout.toMilliseconds() * 0.8),
      }),
    );
    this.alarms = worker.alarms;

    stackOutput(this, 'SnapshotBucketName', {
      value: this.bucket.bucketName,
      description: `Inventory snapshots (s3://<bucket>/${SNAPSHOT_PREFIX}latest.json points at the newest)`,
    });
    stackOutput(this, 'InventoryFunctionName', {
      value: this.function.functionName,
      description: 'The inventory Lambda (invoke it to run an inventory now)',
    });
    stackOutput(this, 'InventoryScheduleName', {
      value: this.schedule.scheduleName,
      description: `The inventory schedule (group ${this.scheduleGroup.scheduleGroupName})`,
    });
  }
}
