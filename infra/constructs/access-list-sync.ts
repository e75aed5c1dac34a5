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
  DESIRED_STATE_KEY,
  MANAGED_ENTRIES_KEY,
  REPORT_PREFIX,
} from '../../functions/access-list-sync/env.ts';
import { accessListSyncWorker } from '../../functions/access-list-sync/worker.ts';
import type { ACCESS_LIST_SYNC_METRICS } from '../../shared/access-list/metrics.ts';
import { SYNC_MODES, type SyncMode } from '../../shared/access-list/model.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import { listPrefixStatement } from './bucket-prefix.ts';
import type { DeployedWorker, WorkerQueue } from './deployed-worker.ts';
import { propChecks } from './prop-checks.ts';
import type { ScheduledInvocation } from './scheduled-invocation.ts';
import { ScheduledWorker } from './scheduled-worker.ts';
import { stackOutput } from './stack-output.ts';
import type { StaticEgress } from './static-egress.ts';
import {
  ALARM_PERIOD,
  logicalIdOf,
  METRICS_NAMESPACE,
  type WorkerSettings,
  workerAlarm,
  workerSettings,
} from './worker-function.ts';

export interface AccessListSyncProps extends WorkerSettings {
  /** The Atlas credentials; the function may read this one secret and nothing else. */
  readonly credentials: AtlasCredentials;
  /**
   * The versioned bucket that holds the desired state (`access-list/desired-state.json`), the record of the
   * entries the sync added and the reports (`access-list/reports/…`): the inventory's, in the stack.
   */
  readonly bucket: Bucket;
  /** EventBridge Scheduler expression, UTC. @default the manifest's, 'rate(1 hour)' */
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
  /**
   * Accept a desired state that declares an entry wider than a /8 (IPv4) or a /16 (IPv6), alone or with the
   * other entries of its list. @default false: such a document fails the run, nothing is sent
   */
  readonly allowWideNetworks?: boolean;
  /** The most removals per list and run (0–10000); the document's `maxDeletions` may only lower it. @default 10 */
  readonly maxDeletions?: number;
  /** The largest share (0–1) of one list's entries a run may remove; over it the list is refused. @default 0.5 */
  readonly maxRemovalShare?: number;
  /** Addresses and CIDR blocks no run removes, whatever the document says. @default none */
  readonly protectedAddresses?: readonly string[];
  /**
   * The removals alarm fires when runs remove this many entries (`EntriesRemoved`) within 5 minutes.
   * @default DEFAULT_REMOVAL_ALARM_THRESHOLD (10)
   */
  readonly removalAlarmThreshold?: number;
  /** @default the manifest's (functions/access-list-sync/worker.ts), 5 minutes */
  readonly timeout?: Duration;
  /** @default the manifest's, 256 */
  readonly memorySize?: number;
}

/**
 * The access-list sync: a Lambda that makes the Atlas access lists a desired-state document declares match
 * it, every hour (an EventBridge Scheduler schedule) and whenever the document changes (an S3 event
 * notification on its object), in `plan` mode (report only, the default) or `apply` mode. One run at a time,
 * a report per run in S3, an alarm when a guard refuses a change or a change fails, and one when many entries
 * are removed.
 */
export class AccessListSync extends Construct implements DeployedWorker {
  readonly manifest = accessListSyncWorker;
  /** The function and its schedule, as every scheduled worker has them. */
  readonly worker: ScheduledWorker;
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly scheduledInvocation: ScheduledInvocation;
  /** Fires when a run had changes refused by a guard or failed. */
  readonly changesAlarm: Alarm;
  /** Fires when runs removed `removalAlarmThreshold` entries or more within 5 minutes. */
  readonly removalsAlarm: Alarm;
  readonly mode: SyncMode;
  /** `s3://<bucket>/access-list/desired-state.json`. */
  readonly desiredStateUri: string;

  constructor(scope: Construct, id: string, props: AccessListSyncProps) {
    super(scope, id);
    this.mode = props.mode ?? 'plan';
    if (!SYNC_MODES.includes(this.mode)) {
      throw new Error(`AccessListSync: mode must be ${SYNC_MODES.join(' or ')}, got ${String(this.mode)}`);
    }
    const checks = propChecks('AccessListSync');
    const retentionDays = checks.integer('reportRetentionDays', props.reportRetentionDays ?? 365, 1, 36_500);
    const maxDeletions =
      props.maxDeletions === undefined
        ? undefined
        : checks.integer('maxDeletions', props.maxDeletions, 0, 10_000);
    const share = props.maxRemovalShare;
    if (share !== undefined && !(Number.isFinite(share) && share >= 0 && share <= 1)) {
      checks.fail(`maxRemovalShare must be a number from 0 to 1, got ${share}`);
    }
    const removalAlarmThreshold = checks.integer(
      'removalAlarmThreshold',
      props.removalAlarmThreshold ?? DEFAULT_REMOVAL_ALARM_THRESHOLD,
      1,
      10_000,
    );
    const protectedAddresses = checks.addresses('protectedAddresses', props.protectedAddresses);
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

    // Never two runs at once (the manifest's `oneRunAtATime`: reserved concurrency 1, see ScheduledWorker).
    // Id `Default` so the log group, role, function and schedule keep their logical ids.
    this.worker = new ScheduledWorker(this, 'Default', {
      manifest: accessListSyncWorker,
      ...(props.schedule ? { schedule: props.schedule } : {}),
      ...(props.timeout ? { timeout: props.timeout } : {}),
      ...(props.memorySize ? { memorySize: props.memorySize } : {}),
      credentials: props.credentials,
      environment: {
        ACCESS_LIST_BUCKET: props.bucket.bucketName,
        DESIRED_STATE_KEY,
        MANAGED_ENTRIES_KEY,
        REPORT_PREFIX,
        SYNC_MODE: this.mode,
        // The Elastic IPs the workers call Atlas from: removing them would lock the workers out.
        STATIC_EGRESS_IPS: props.staticEgress ? Fn.join(',', [...props.staticEgress.publicIps]) : undefined,
        // The stack's limits on every run; the desired state may only tighten them. Absent: the defaults.
        PROTECTED_ADDRESSES: protectedAddresses.length > 0 ? protectedAddresses.join(',') : undefined,
        MAX_DELETIONS: maxDeletions === undefined ? undefined : String(maxDeletions),
        MAX_REMOVAL_SHARE: share === undefined ? undefined : String(share),
        ALLOW_WIDE_NETWORKS: props.allowWideNetworks ? 'true' : undefined,
      },
      scheduleDescription: 'atlas-ops: sync the Atlas access lists with the desired state',
      errorsAlarmDescription:
        'An access-list sync run failed (an invalid desired state names its bad fields in the log group).',
      ...workerSettings(props),
      ...(props.staticEgress ? { staticEgress: props.staticEgress } : {}),
    });
    this.function = this.worker.function;
    this.role = this.worker.role;
    this.logGroup = this.worker.logGroup;
    this.scheduledInvocation = this.worker.scheduledInvocation;

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

    const changes = (name: keyof typeof ACCESS_LIST_SYNC_METRICS) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: accessListSyncWorker.serviceName },
        statistic: Stats.SUM,
        period: ALARM_PERIOD,
      });
    this.changesAlarm = this.worker.addAlarm(
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

    // Removals the guards let through can still be many: say so when they are, not only on refusals.
    this.removalsAlarm = this.worker.addAlarm(
      workerAlarm(this, 'EntriesRemovedAlarm', {
        metric: changes('EntriesRemoved'),
        threshold: removalAlarmThreshold,
        description:
          `Access-list sync runs removed ${removalAlarmThreshold} or more entries within 5 minutes; their ` +
          `reports are under s3://<bucket>/${REPORT_PREFIX} (latest.json points at the newest).`,
      }),
    );

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

  get alarms(): readonly Alarm[] {
    return this.worker.alarms;
  }

  get queues(): readonly WorkerQueue[] {
    return this.worker.queues;
  }

  get summary(): string {
    return `${accessListSyncWorker.summary}; mode ${this.mode}`;
  }
}

/** The default of `removalAlarmThreshold`: entries removed within 5 minutes (context `accessListRemovalAlarmThreshold`). */
export const DEFAULT_REMOVAL_ALARM_THRESHOLD = 10;

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
