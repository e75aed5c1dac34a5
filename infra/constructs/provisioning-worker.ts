import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { provisionerWorker } from '../../functions/provisioner/worker.ts';
import { STATUS_TTL_DAYS } from '../../shared/config/rules.ts';
import { NOTIFIED_PREFIX } from '../../shared/notify/adapters/notification-ledger.ts';
import { REQUEST_KEY_PREFIX } from '../../shared/operations/status.ts';
import { DELIVERY_KEY_PREFIX, SIGNED_CONTENT_KEY_PREFIX } from '../../shared/webhooks/delivery-store.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import type { DeployedWorker, WorkerQueue } from './deployed-worker.ts';
import { GrantSchedules } from './grant-schedules.ts';
import { propChecks } from './prop-checks.ts';
import { QueueWorker, type QueueWorkerSettings, queueWorkerSettings } from './queue-worker.ts';
import { stackOutput } from './stack-output.ts';
import type { StaticEgress } from './static-egress.ts';
import { type WorkerSettings, workerSettings } from './worker-function.ts';

/** The partition key of the operations table, shared by idempotency and status records. */
export const OPERATIONS_TABLE_KEY = 'id';
/** The operations table's TTL attribute (epoch seconds). */
export const OPERATIONS_TABLE_TTL_ATTRIBUTE = 'expiresAt';

export interface ProvisioningWorkerProps extends WorkerSettings, QueueWorkerSettings {
  /** The Atlas credentials; the function may read this one secret and nothing else. */
  readonly credentials: AtlasCredentials;
  /** Run in this VPC's private subnets so Atlas sees the calls come from its Elastic IPs. @default no VPC */
  readonly staticEgress?: StaticEgress;
  /** Days an operation's status and idempotency records are kept after their last update (1–3650). @default 30 */
  readonly statusTtlDays?: number;
  /** Alarm when the oldest waiting message is at least this old. @default Duration.minutes(15) */
  readonly oldestMessageAlarmAge?: Duration;
  /**
   * Addresses and CIDR blocks no delete operation removes, besides the static egress addresses (always
   * protected). @default none
   */
  readonly protectedAddresses?: readonly string[];
}

/**
 * The queue-triggered provisioning worker: each SQS message describes one Atlas operation; a Lambda runs
 * it (exactly once in effect, through Powertools idempotency on the operations table), records its status
 * in the same table and reports per-message failures, which SQS redelivers and finally dead-letters.
 */
export class ProvisioningWorker extends Construct implements DeployedWorker {
  readonly manifest = provisionerWorker;
  /** The queue, its dead-letter queue and the function, as every queue worker has them. */
  readonly worker: QueueWorker;
  readonly function: LambdaFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Idempotency and status records, keyed by `id` (S), expired through `expiresAt`. */
  readonly table: Table;
  readonly eventSource: SqsEventSource;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** The temporary grants' schedule group and the scheduler's role. */
  readonly grantSchedules: GrantSchedules;
  /** The queue's visibility timeout (computed unless given). */
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: ProvisioningWorkerProps) {
    super(scope, id);
    const checks = propChecks('ProvisioningWorker');
    const statusTtlDays = checks.integer(
      'statusTtlDays',
      props.statusTtlDays ?? STATUS_TTL_DAYS.default,
      STATUS_TTL_DAYS.min,
      STATUS_TTL_DAYS.max,
    );
    // What no delete removes: the Elastic IPs the workers call Atlas from (removing one would lock them out)
    // and the stack's protected addresses.
    const protectedAddresses = [
      ...(props.staticEgress?.publicIps ?? []),
      ...checks.addresses('protectedAddresses', props.protectedAddresses),
    ];

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

    // Id `Default` so the queues, log group, role and function keep their logical ids (see QueueWorker).
    this.worker = new QueueWorker(this, 'Default', {
      manifest: provisionerWorker,
      ...queueWorkerSettings(props),
      oldestMessageAlarmAge: props.oldestMessageAlarmAge ?? Duration.minutes(15),
      credentials: props.credentials,
      environment: {
        OPERATIONS_TABLE: this.table.tableName,
        STATUS_TTL_DAYS: String(statusTtlDays),
        PROTECTED_ADDRESSES: protectedAddresses.length > 0 ? Fn.join(',', protectedAddresses) : undefined,
      },
      roleDescription: 'atlas-ops provisioning worker',
      deadLetterAlarmDescription:
        'An Atlas operation is in the provisioning dead-letter queue (permanent failure or retries exhausted).',
      errorsAlarmDescription:
        'The provisioning function failed a whole invocation (see the function log group).',
      ...workerSettings(props),
      ...(props.staticEgress ? { staticEgress: props.staticEgress } : {}),
    });
    this.function = this.worker.function;
    this.role = this.worker.role;
    this.logGroup = this.worker.logGroup;
    this.queue = this.worker.queue;
    this.deadLetterQueue = this.worker.deadLetterQueue;
    this.eventSource = this.worker.eventSource;
    this.visibilityTimeout = this.worker.visibilityTimeout;

    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        // Single-item reads by key, the intake's request records included (who asked, who approved). No
        // Query or Scan.
        sid: 'ReadOperationRecords',
        actions: ['dynamodb:GetItem'],
        resources: [this.table.tableArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        // What Powertools idempotency and the status records need: conditional writes by key, on any key but
        // the intake's (requests, deliveries) and the notifier's (its ledger).
        sid: 'WriteOperationRecords',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: {
          'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': FOREIGN_KEY_PREFIXES.map((p) => `${p}*`) },
        },
      }),
    );

    // The end of every temporary grant: its schedule group, the scheduler's role, the secrets of passwords.
    this.grantSchedules = new GrantSchedules(this, 'GrantSchedules', {
      queue: this.queue,
      worker: this.worker,
    });

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

  get alarms(): readonly Alarm[] {
    return this.worker.alarms;
  }

  get queues(): readonly WorkerQueue[] {
    return this.worker.queues;
  }
}

/** The operations table's keys other workers own: the provisioner writes none of them. */
export const FOREIGN_KEY_PREFIXES = [
  REQUEST_KEY_PREFIX,
  DELIVERY_KEY_PREFIX,
  SIGNED_CONTENT_KEY_PREFIX,
  NOTIFIED_PREFIX,
] as const;
