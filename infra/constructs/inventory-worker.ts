import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INVENTORY_V8_FLAGS } from '../../functions/inventory/runtime.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import type { StaticEgress } from './static-egress.ts';
import { WorkerFunction } from './worker-function.ts';

/** How long one run may take unless `timeout` says otherwise. */
export const DEFAULT_TIMEOUT = Duration.minutes(5);

/** Where the worker writes (functions/inventory/config.ts reads it back as `SNAPSHOT_PREFIX`). */
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

export interface InventoryWorkerProps {
  /** The Atlas credentials; the function may read this one secret and nothing else. */
  readonly credentials: AtlasCredentials;
  /**
   * EventBridge Scheduler expression, UTC: `rate(6 hours)`, `cron(0 6 * * ? *)`.
   * @default 'rate(6 hours)'
   */
  readonly schedule?: string;
  /** Limit the inventory to these organizations (24-hex ids). @default every organization the credentials see */
  readonly orgIds?: readonly string[];
  /** Limit the inventory to these projects (24-hex ids). @default every project the credentials see */
  readonly projectIds?: readonly string[];
  /** Projects listed in parallel (1–64). @default 12 */
  readonly concurrency?: number;
  /** Finding-rule overrides, passed to the function as JSON (`INVENTORY_RULES`). @default the built-in rules */
  readonly rules?: object;
  /** Notified when an alarm fires. @default alarms without actions */
  readonly alarmTopic?: ITopic;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** Days a dated snapshot is kept. @default 365 */
  readonly snapshotRetentionDays?: number;
  /** Run in this VPC's private subnets so Atlas sees the calls come from its Elastic IPs. @default no VPC */
  readonly staticEgress?: StaticEgress;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
}

/**
 * The scheduled cluster inventory: an EventBridge Scheduler schedule invokes a Lambda that lists every
 * cluster the Atlas credentials can see and stores a dated snapshot (plus a `latest.json` pointer) in S3.
 */
export class InventoryWorker extends Construct {
  readonly function: NodejsFunction;
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly schedule: Schedule;
  readonly scheduleGroup: ScheduleGroup;
  readonly deadLetterQueue: Queue;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: InventoryWorkerProps) {
    super(scope, id);
    const timeout = props.timeout ?? DEFAULT_TIMEOUT;
    const scheduleText = props.schedule ?? 'rate(6 hours)';
    const schedule = parseScheduleExpression(scheduleText);
    if (schedule.everyMinutes !== undefined && schedule.everyMinutes * 60 < timeout.toSeconds()) {
      throw new Error(
        `InventoryWorker: schedule ${scheduleText} is shorter than the function timeout ` +
          `(${timeout.toHumanString()}); runs could overlap`,
      );
    }
    const concurrency = props.concurrency ?? 12;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new Error(`InventoryWorker: concurrency must be an integer from 1 to 64, got ${concurrency}`);
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

    this.deadLetterQueue = new Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the inventory schedule; a dead-letter queue for it would ' +
        'be infinite regress. It has its own alarm.',
    });

    const environment: Record<string, string> = {
      // The complete ARN when known; a secret imported by name has only a partial ARN, which Secrets
      // Manager resolves ambiguously, so the name is the better id then.
      ATLAS_SECRET_ID: props.credentials.secret.secretFullArn ?? props.credentials.secret.secretName,
      SNAPSHOT_BUCKET: this.bucket.bucketName,
      SNAPSHOT_PREFIX,
      INVENTORY_CONCURRENCY: String(concurrency),
      POWERTOOLS_SERVICE_NAME: 'atlas-ops-inventory',
      POWERTOOLS_METRICS_NAMESPACE: 'AtlasOps',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      // A small young generation keeps the peak RSS of a 20,000-cluster run near 200 MB (bench: inventory)
      // at no cost in speed: the run is network-bound.
      NODE_OPTIONS: `--enable-source-maps ${INVENTORY_V8_FLAGS}`,
    };
    if (props.orgIds?.length) environment.INVENTORY_ORG_IDS = props.orgIds.join(',');
    if (props.projectIds?.length) environment.INVENTORY_PROJECT_IDS = props.projectIds.join(',');
    if (rulesJson !== undefined) environment.INVENTORY_RULES = rulesJson;

    // No reserved concurrency: reserving even 1 takes it from the account's unreserved pool, which fails
    // the deployment in accounts at their limit. Runs cannot pile up anyway: the schedule is hours apart
    // and the timeout (checked above against a rate schedule) is minutes.
    // Id `Default` so the log group, role and function keep their logical ids (see WorkerFunction).
    const worker = new WorkerFunction(this, 'Default', {
      entry: 'functions/inventory/handler.ts',
      description: 'atlas-ops: scheduled inventory of every Atlas cluster the credentials can see',
      roleDescription: 'atlas-ops inventory worker',
      timeout,
      memorySize: props.memorySize ?? 512,
      // The schedule retries a failed run (with its own DLQ); Lambda's own async retries would run it again.
      retryAttempts: 0,
      environment,
      logRetention: props.logRetention,
      staticEgress: props.staticEgress,
    });
    this.function = worker.function;
    this.role = worker.role;
    this.logGroup = worker.logGroup;

    props.credentials.secret.grantRead(this.role);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadWriteSnapshots',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(`${SNAPSHOT_PREFIX}*`)],
      }),
    );
    // readLatest GETs `latest.json`, which is absent before the first run. Without s3:ListBucket S3 answers
    // a missing key with 403 AccessDenied instead of 404 NoSuchKey, and the first run would fail; the
    // condition keeps the listing to the snapshot prefix.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ListSnapshotPrefix',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } },
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.bucket)}.Arn>/${SNAPSHOT_PREFIX}*]`,
      reason:
        `GetObject/PutObject on the snapshot prefix ${SNAPSHOT_PREFIX}* only: each run writes new dated keys, ` +
        'so they cannot be listed in advance.',
    });

    // Its own group, so the group's Scheduler metrics (alarmed on below) are this schedule's alone.
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup');
    // The target would otherwise create a stack-level role; owning it here keeps its acknowledgement
    // next to it. Same trust as CDK's: only schedules of this account's group may assume it.
    const scheduleRole = new Role(this, 'ScheduleRole', {
      description: 'atlas-ops: lets EventBridge Scheduler invoke the inventory function',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.scheduleGroup.scheduleGroupArn,
          },
        },
      }),
    });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.function)}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the inventory function and its versions/aliases (`:*`), as ' +
        'LambdaInvoke grants it; no other function.',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'atlas-ops: run the Atlas cluster inventory',
      schedule: schedule.expression,
      scheduleGroup: this.scheduleGroup,
      target: new LambdaInvoke(this.function, {
        role: scheduleRole,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });

    this.alarms = this.createAlarms(timeout);
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const alarm of this.alarms) alarm.addAlarmAction(action);
    }

    new CfnOutput(this, 'SnapshotBucketName', {
      value: this.bucket.bucketName,
      description: `Inventory snapshots (s3://<bucket>/${SNAPSHOT_PREFIX}latest.json points at the newest)`,
    });
    new CfnOutput(this, 'FunctionName', {
      value: this.function.functionName,
      description: 'The inventory Lambda (invoke it to run an inventory now)',
    });
    new CfnOutput(this, 'ScheduleName', {
      value: this.schedule.scheduleName,
      description: `The inventory schedule (group ${this.scheduleGroup.scheduleGroupName})`,
    });
  }

  private createAlarms(timeout: Duration): Alarm[] {
    const period = Duration.minutes(5);
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    const alarm = (id: string, metric: IMetric, description: string, threshold = 1) =>
      new Alarm(this, id, { metric, ...atLeastOnce, threshold, alarmDescription: description });

    const durationThresholdMs = Math.floor(timeout.toMilliseconds() * 0.8);
    return [
      alarm(
        'FunctionErrorsAlarm',
        this.function.metricErrors({ period, statistic: Stats.SUM }),
        'The Atlas inventory run failed (see the function log group).',
      ),
      alarm(
        'DeadLetterAlarm',
        this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM }),
        'The scheduler could not invoke the inventory function after its retries; the event is in the dead-letter queue.',
      ),
      alarm(
        'ScheduleDeliveryAlarm',
        new MathExpression({
          // Invocations the scheduler gave up on that did not reach the dead-letter queue either.
          expression: 'FILL(dropped, 0) + FILL(dlqFailed, 0)',
          usingMetrics: {
            dropped: this.scheduleGroup.metricDropped({ period }),
            dlqFailed: this.scheduleGroup.metricFailedToBeSentToDLQ(undefined, { period }),
          },
          period,
          label: 'Scheduled invocations lost',
        }),
        'An inventory invocation was dropped and could not be sent to the dead-letter queue.',
      ),
      alarm(
        'DurationNearTimeoutAlarm',
        this.function.metricDuration({ period, statistic: Stats.MAXIMUM }),
        `An inventory run took at least 80% of the ${timeout.toHumanString()} timeout; raise the timeout or concurrency.`,
        durationThresholdMs,
      ),
    ];
  }

  /** The logical id cdk-nag shows in a finding about `construct`'s resource, e.g. `<Id.Arn>`. */
  private logicalIdOf(construct: Construct): string {
    const cfn = construct.node.defaultChild;
    if (!cfn) throw new Error(`InventoryWorker: ${construct.node.path} has no CloudFormation resource`);
    return Stack.of(this).getLogicalId(cfn as CfnElement);
  }
}

/** An EventBridge Scheduler expression, checked; `everyMinutes` is set for rate expressions. */
export interface ParsedSchedule {
  readonly expression: ScheduleExpression;
  readonly everyMinutes?: number;
}

const RATE_UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/**
 * Checks a recurring EventBridge Scheduler expression and converts it.
 * @example parseScheduleExpression('rate(6 hours)').everyMinutes // 360
 */
export function parseScheduleExpression(text: string): ParsedSchedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    const singular = unit.replace(/s$/, '');
    if (value < 1 || (value === 1) !== (unit === singular)) {
      throw new Error(
        `Invalid schedule '${text}': use a positive number with a singular unit for 1 ('rate(1 hour)') and a plural one otherwise ('rate(6 hours)')`,
      );
    }
    return {
      expression: ScheduleExpression.expression(text),
      everyMinutes: value * (RATE_UNIT_MINUTES[singular] ?? Number.NaN),
    };
  }
  const cron = /^cron\((.+)\)$/.exec(text);
  if (cron && (cron[1] ?? '').trim().split(/\s+/).length === 6) {
    return { expression: ScheduleExpression.expression(text) };
  }
  throw new Error(
    `Invalid schedule '${text}': expected 'rate(<n> minutes|hours|days)' or a six-field 'cron(...)' expression (UTC)`,
  );
}
