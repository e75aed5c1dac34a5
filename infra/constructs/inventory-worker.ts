import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Schedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { inventoryWorker } from '../../functions/inventory/worker.ts';
import { INVENTORY_CONCURRENCY } from '../../shared/config/rules.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import { listPrefixStatement } from './bucket-prefix.ts';
import type { DeployedWorker, WorkerQueue } from './deployed-worker.ts';
import { propChecks } from './prop-checks.ts';
import type { ScheduledInvocation } from './scheduled-invocation.ts';
import { ScheduledWorker } from './scheduled-worker.ts';
import { stackOutput } from './stack-output.ts';
import type { StaticEgress } from './static-egress.ts';
import { logicalIdOf, type WorkerSettings, workerSettings } from './worker-function.ts';

/** Where the worker writes (functions/inventory/env.ts reads it back as `SNAPSHOT_PREFIX`). */
export const SNAPSHOT_PREFIX = 'inventory/';
/**
 * The dated runs, `inventory/YYYY/MM/DD/<run>/…` (shared/inventory/adapters/snapshot-store.ts), all start with the
 * century; `inventory/latest.json` does not, so the expiry rule on this prefix never deletes the pointer.
 */
export const DATED_SNAPSHOT_PREFIX = `${SNAPSHOT_PREFIX}20`;

export interface InventoryWorkerProps extends WorkerSettings {
  /** The Atlas credentials; the function may read this one secret and nothing else. */
  readonly credentials: AtlasCredentials;
  /**
   * EventBridge Scheduler expression, UTC: `rate(6 hours)`, `cron(0 6 * * ? *)`.
   * @default the manifest's, 'rate(6 hours)'
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
  /** @default the manifest's (functions/inventory/worker.ts), 5 minutes */
  readonly timeout?: Duration;
  /** MB. @default the manifest's, 1024 (it says why) */
  readonly memorySize?: number;
}

/**
 * The scheduled cluster inventory: an EventBridge Scheduler schedule invokes a Lambda that lists every
 * cluster the Atlas credentials can see and stores a dated snapshot (plus a `latest.json` pointer) in S3.
 */
export class InventoryWorker extends Construct implements DeployedWorker {
  readonly manifest = inventoryWorker;
  /** The function and its schedule, as every scheduled worker has them. */
  readonly worker: ScheduledWorker;
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

  constructor(scope: Construct, id: string, props: InventoryWorkerProps) {
    super(scope, id);
    const { integer, jsonSetting } = propChecks('InventoryWorker');
    const concurrency = integer(
      'concurrency',
      props.concurrency ?? INVENTORY_CONCURRENCY.default,
      INVENTORY_CONCURRENCY.min,
      INVENTORY_CONCURRENCY.max,
    );
    const retentionDays = integer('snapshotRetentionDays', props.snapshotRetentionDays ?? 365, 1, 36_500);
    const rulesJson = jsonSetting('rules', props.rules);

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

    // Id `Default` so the log group, role, function and schedule keep their logical ids (see ScheduledWorker).
    this.worker = new ScheduledWorker(this, 'Default', {
      manifest: inventoryWorker,
      ...(props.schedule ? { schedule: props.schedule } : {}),
      ...(props.timeout ? { timeout: props.timeout } : {}),
      ...(props.memorySize ? { memorySize: props.memorySize } : {}),
      credentials: props.credentials,
      environment: {
        SNAPSHOT_BUCKET: this.bucket.bucketName,
        SNAPSHOT_PREFIX,
        INVENTORY_CONCURRENCY: String(concurrency),
        INVENTORY_ORG_IDS: props.orgIds?.length ? props.orgIds.join(',') : undefined,
        INVENTORY_PROJECT_IDS: props.projectIds?.length ? props.projectIds.join(',') : undefined,
        INVENTORY_RULES: rulesJson,
      },
      roleDescription: 'atlas-ops inventory worker',
      scheduleDescription: 'atlas-ops: run the Atlas cluster inventory',
      errorsAlarmDescription: 'The Atlas inventory run failed (see the function log group).',
      nearTimeoutAdvice: 'raise the timeout or concurrency',
      ...workerSettings(props),
      ...(props.staticEgress ? { staticEgress: props.staticEgress } : {}),
    });
    this.function = this.worker.function;
    this.role = this.worker.role;
    this.logGroup = this.worker.logGroup;

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

    this.scheduledInvocation = this.worker.scheduledInvocation;
    this.schedule = this.scheduledInvocation.schedule;
    this.scheduleGroup = this.scheduledInvocation.scheduleGroup;
    this.deadLetterQueue = this.scheduledInvocation.deadLetterQueue;

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

  get alarms(): readonly Alarm[] {
    return this.worker.alarms;
  }

  get queues(): readonly WorkerQueue[] {
    return this.worker.queues;
  }
}
