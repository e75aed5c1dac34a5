import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import { type Alarm, MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { type Bucket, type CfnBucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import {
  ACCESS_LIST_PREFIX,
  accessListSyncEnvSchema,
  DESIRED_STATE_KEY,
  MANAGED_ENTRIES_KEY,
  REPORT_PREFIX,
  SERVICE_NAME,
} from '../../functions/access-list-sync/env.ts';
import { SYNC_MODES, type SyncMode } from '../../shared/access-list/model.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import { listPrefixStatement } from './bucket-prefix.ts';
import { ScheduledInvocation } from './scheduled-invocation.ts';
import { stackOutput } from './stack-output.ts';
import type { StaticEgress } from './static-egress.ts';
import {
  ALARM_PERIOD,
  logicalIdOf,
  METRICS_NAMESPACE,
  WorkerFunction,
  type WorkerSettings,
  workerAlarm,
  workerSettings,
} from './worker-function.ts';

/** How long one run may take unless `timeout` says otherwise. */
export const DEFAULT_ACCESS_LIST_SYNC_TIMEOUT = Duration.minutes(5);
/** How often the sync runs unless `schedule` says otherwise (it also runs when the desired state changes). */
export const DEFAULT_ACCESS_LIST_SYNC_SCHEDULE = 'rate(1 hour)';

export interface AccessListSyncProps extends WorkerSettings {
  /** The Atlas credentials; the function may read this one secret and nothing else. */
  readonly credentials: AtlasCredentials;
  /**
   * The versioned bucket that holds the desired state (`access-list/desired-state.json`), the record of the
   * entries the sync added and the reports (`access-list/reports/…`): the inventory's, in the stack.
   */
  readonly bucket: Bucket;
  /** EventBridge Scheduler expression, UTC. @default 'rate(1 hour)' */
  readonly schedule?: string;
  /** `plan` reports drift and changes nothing; `apply` makes the changes the guards allow. @default 'plan' */
  readonly mode?: SyncMode;
  /**
   * Run in this VPC's private subnets (Atlas sees its Elastic IPs), and never remove those addresses from an
   * access list. @default no VPC
   */
  readonly staticEgress?: StaticEgress;
  /** Days a run's report is kept. @default 365 */
  readonly reportRetentionDays?: number;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
}

/**
 * The access-list sync: a Lambda that makes the Atlas access lists a desired-state document declares match
 * it, every hour (an EventBridge Scheduler schedule) and whenever the document changes (an S3 event
 * notification on its object), in `plan` mode (report only, the default) or `apply` mode. One run at a time,
 * a report per run in S3, and an alarm when a guard refuses a change or a change fails.
 */
export class AccessListSync extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly scheduledInvocation: ScheduledInvocation;
  /** Fires when a run had changes refused by a guard or failed. */
  readonly changesAlarm: Alarm;
  readonly alarms: readonly Alarm[];
  readonly mode: SyncMode;
  /** `s3://<bucket>/access-list/desired-state.json`. */
  readonly desiredStateUri: string;

  constructor(scope: Construct, id: string, props: AccessListSyncProps) {
    super(scope, id);
    const timeout = props.timeout ?? DEFAULT_ACCESS_LIST_SYNC_TIMEOUT;
    this.mode = props.mode ?? 'plan';
    if (!SYNC_MODES.includes(this.mode)) {
      throw new Error(`AccessListSync: mode must be ${SYNC_MODES.join(' or ')}, got ${String(this.mode)}`);
    }
    const retentionDays = props.reportRetentionDays ?? 365;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`AccessListSync: reportRetentionDays must be a positive integer, got ${retentionDays}`);
    }
    // The desired state is what the sync enforces: every earlier version must stay recoverable.
    const versioning = Stack.of(this).resolve(
      (props.bucket.node.defaultChild as CfnBucket).versioningConfiguration,
    ) as { status?: string } | undefined;
    if (versioning?.status !== 'Enabled') {
      throw new Error('AccessListSync: the bucket must be versioned (it holds the desired state)');
    }
    props.bucket.addLifecycleRule({
      // The dated runs all start with the century; `reports/latest.json` does not and is never expired.
      id: 'expire-access-list-reports',
      prefix: `${REPORT_PREFIX}20`,
      expiration: Duration.days(retentionDays),
    });

    // Never two runs at once: a change to the desired state while the hourly run is going must not plan
    // against a list the other run is changing. Reserved concurrency 1 does it without a lock: both triggers
    // invoke asynchronously, and Lambda keeps an event it throttles and retries it (for up to six hours, the
    // event's maximum age) rather than dropping it, so the second run starts when the first ends. The cost
    // is one execution of the account's unreserved pool (the inventory's comment on this is about a
    // reservation sized for parallel work; one is the least there is, and the guarantee is the point here).
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    const worker = new WorkerFunction(this, 'Default', {
      entry: 'functions/access-list-sync/handler.ts',
      description: 'atlas-ops: makes the Atlas access lists match the declared desired state',
      roleDescription: 'atlas-ops access-list sync',
      serviceName: SERVICE_NAME,
      timeout,
      memorySize: props.memorySize ?? 256,
      reservedConcurrentExecutions: 1,
      // A failed run is retried by Lambda: safe, since each run plans afresh from what Atlas lists.
      retryAttempts: 2,
      credentials: props.credentials,
      environmentSchema: accessListSyncEnvSchema,
      environment: {
        ACCESS_LIST_BUCKET: props.bucket.bucketName,
        DESIRED_STATE_KEY,
        MANAGED_ENTRIES_KEY,
        REPORT_PREFIX,
        SYNC_MODE: this.mode,
        // The Elastic IPs the workers call Atlas from: removing them would lock the workers out.
        STATIC_EGRESS_IPS: props.staticEgress ? Fn.join(',', [...props.staticEgress.publicIps]) : undefined,
      },
      errorsAlarmDescription:
        'An access-list sync run failed (an invalid desired state names its bad fields in the log group).',
      ...workerSettings(props),
      staticEgress: props.staticEgress,
    });
    this.function = worker.function;
    this.role = worker.role;
    this.logGroup = worker.logGroup;

    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadDesiredState',
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(DESIRED_STATE_KEY)],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadWriteManagedEntries',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [props.bucket.arnForObjects(MANAGED_ENTRIES_KEY)],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteReports',
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${REPORT_PREFIX}*`)],
      }),
    );
    // The desired state before the team uploads one, and the managed entries before the first, are absent.
    this.role.addToPrincipalPolicy(
      listPrefixStatement('ListAccessListPrefix', props.bucket, ACCESS_LIST_PREFIX),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalIdOf(props.bucket)}.Arn>/${REPORT_PREFIX}*]`,
      reason:
        `PutObject on the report prefix ${REPORT_PREFIX}* only: each run writes new dated keys, so they ` +
        'cannot be listed in advance.',
    });

    // A change to the desired state starts a run (any other key under access-list/, such as a report or the
    // record the run itself writes, does not: the filter is the object's full key).
    props.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.function), {
      prefix: DESIRED_STATE_KEY,
    });
    acknowledgeBucketNotificationsHandler(Stack.of(this));

    this.scheduledInvocation = new ScheduledInvocation(worker, 'Default', {
      schedule: props.schedule ?? DEFAULT_ACCESS_LIST_SYNC_SCHEDULE,
      description: 'atlas-ops: sync the Atlas access lists with the desired state',
      label: 'access-list sync',
    });

    const changes = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: Stats.SUM,
        period: ALARM_PERIOD,
      });
    this.changesAlarm = worker.addAlarm(
      workerAlarm(this, 'ChangesRefusedOrFailedAlarm', {
        metric: new MathExpression({
          expression: 'FILL(refused, 0) + FILL(failed, 0)',
          usingMetrics: { refused: changes('ChangesRefused'), failed: changes('ChangesFailed') },
          period: ALARM_PERIOD,
          label: 'Access-list changes refused or failed',
        }),
        description:
          `An access-list sync run had changes refused by a guard or failed; its report is under ` +
          `s3://<bucket>/${REPORT_PREFIX} (latest.json points at the newest).`,
      }),
    );
    worker.addAlarm(
      workerAlarm(this, 'DurationNearTimeoutAlarm', {
        metric: this.function.metricDuration({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        description: `An access-list sync run took at least 80% of the ${timeout.toHumanString()} timeout.`,
        threshold: Math.floor(timeout.toMilliseconds() * 0.8),
      }),
    );
    this.alarms = worker.alarms;

    this.desiredStateUri = `s3://${props.bucket.bucketName}/${DESIRED_STATE_KEY}`;
    stackOutput(this, 'DesiredStateUri', {
      value: this.desiredStateUri,
      description: `Upload the access-list desired state here; reports go under ${REPORT_PREFIX}`,
    });
    stackOutput(this, 'AccessListSyncMode', {
      value: this.mode,
      description: 'plan: the sync reports drift and changes nothing; apply: it makes the changes',
    });
    stackOutput(this, 'AccessListSyncFunctionName', {
      value: this.function.functionName,
      description: 'The access-list sync Lambda (invoke it to run a sync now)',
    });
  }
}

/** CDK's id of the singleton function behind every `addEventNotification` in a stack. */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * Acknowledges cdk-nag's finding on the function CDK adds to put the S3 notification configuration on the
 * bucket (a custom resource: a notification set on the bucket itself would make the bucket and the
 * function's invoke permission depend on each other).
 */
function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
  if (!handler) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's own BucketNotificationsHandler (it puts the desired-state object's event notification on the " +
      'bucket at deployment; its s3:PutBucketNotification is scoped to the bucket): CDK builds its role with ' +
      'the basic execution policy and offers no way to replace it.',
  });
}
