import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct, Node } from 'constructs';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { AtlasCredentials } from './constructs/atlas-credentials.ts';
import { DEFAULT_TIMEOUT, InventoryWorker, parseScheduleExpression } from './constructs/inventory-worker.ts';
import { MAX_CONCURRENCY_RANGE, ProvisioningWorker } from './constructs/provisioning-worker.ts';
import { StaticEgress } from './constructs/static-egress.ts';

/** The provisioning worker's settings in the stack props; its presence is what deploys the worker. */
export interface ProvisioningSettings {
  /** The most concurrent invocations, and so parallel Atlas operations (2–1000). @default 5 */
  readonly maxConcurrency?: number;
}

export interface AtlasOpsStackProps extends StackProps {
  /** Name or ARN of an existing Atlas credentials secret; when absent, one is created to fill in. */
  readonly atlasSecretNameOrArn?: string;
  /** EventBridge Scheduler expression of the cluster inventory. @default 'rate(6 hours)' */
  readonly inventorySchedule?: string;
  /** Limit the inventory to these organizations. @default all the credentials can see */
  readonly inventoryOrgIds?: readonly string[];
  /** Limit the inventory to these projects. @default all the credentials can see */
  readonly inventoryProjectIds?: readonly string[];
  /** Email address notified by every alarm (an SNS topic with an email subscription). @default no notifications */
  readonly alarmEmail?: string;
  /** Elastic IPs the workers call Atlas from (0 = no VPC, the Lambda service's own addresses). @default 0 */
  readonly staticEgressIps?: number;
  /** Retention of the workers' log groups. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /**
   * The queue-triggered provisioning worker. The app always sets it unless context `provisioningEnabled`
   * is false (see infra/app.ts); absent here, the stack has no provisioning worker.
   * @default no provisioning worker
   */
  readonly provisioning?: ProvisioningSettings;
}

/**
 * The atlas-ops stack: the Atlas credentials secret every worker reads, and one construct per worker
 * (inventory, provisioner, webhook intake, access-list sync) as each lands.
 */
export class AtlasOpsStack extends Stack {
  readonly credentials: AtlasCredentials;
  readonly alarmTopic?: AlarmTopic;
  readonly staticEgress?: StaticEgress;
  readonly inventory: InventoryWorker;
  readonly provisioning?: ProvisioningWorker;
  /** Where operations are sent (the webhook intake sends here); set when the provisioning worker is. */
  readonly provisioningQueue?: Queue;
  /** The operations' status and idempotency records; set when the provisioning worker is. */
  readonly operationsTable?: Table;

  constructor(scope: Construct, id: string, props: AtlasOpsStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('app', 'atlas-ops');
    this.credentials = new AtlasCredentials(this, 'AtlasCredentials', {
      ...(props.atlasSecretNameOrArn ? { secretNameOrArn: props.atlasSecretNameOrArn } : {}),
    });
    new CfnOutput(this, 'AtlasSecretArn', {
      value: this.credentials.secret.secretArn,
      description: 'Put the Atlas service-account credentials in this secret',
    });

    if (props.alarmEmail) {
      this.alarmTopic = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });
    }
    if (props.staticEgressIps) {
      this.staticEgress = new StaticEgress(this, 'StaticEgress', {
        elasticIps: props.staticEgressIps,
        ...(props.logRetention ? { flowLogRetention: props.logRetention } : {}),
      });
    }

    this.inventory = new InventoryWorker(this, 'Inventory', {
      credentials: this.credentials,
      ...(props.inventorySchedule ? { schedule: props.inventorySchedule } : {}),
      ...(props.inventoryOrgIds ? { orgIds: props.inventoryOrgIds } : {}),
      ...(props.inventoryProjectIds ? { projectIds: props.inventoryProjectIds } : {}),
      ...(this.alarmTopic ? { alarmTopic: this.alarmTopic.topic } : {}),
      ...(this.staticEgress ? { staticEgress: this.staticEgress } : {}),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });

    if (props.provisioning) {
      this.provisioning = new ProvisioningWorker(this, 'Provisioning', {
        credentials: this.credentials,
        ...(props.provisioning.maxConcurrency !== undefined
          ? { maxConcurrency: props.provisioning.maxConcurrency }
          : {}),
        ...(this.alarmTopic ? { alarmTopic: this.alarmTopic.topic } : {}),
        ...(this.staticEgress ? { staticEgress: this.staticEgress } : {}),
        ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      });
      this.provisioningQueue = this.provisioning.queue;
      this.operationsTable = this.provisioning.table;
    }
  }
}

/** A CDK context value (`-c key=value` or cdk.json) that cannot be used; the message names the key. */
export class InvalidContextError extends Error {
  readonly key: string;

  constructor(key: string, message: string) {
    super(`Invalid context '${key}': ${message}`);
    this.name = 'InvalidContextError';
    this.key = key;
  }
}

type ContextProps = Pick<
  AtlasOpsStackProps,
  | 'atlasSecretNameOrArn'
  | 'inventorySchedule'
  | 'inventoryOrgIds'
  | 'inventoryProjectIds'
  | 'alarmEmail'
  | 'staticEgressIps'
  | 'logRetention'
  | 'provisioning'
>;

const OBJECT_ID = /^[0-9a-f]{24}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((days): days is RetentionDays => typeof days === 'number' && days > 0),
);

/**
 * Reads the stack's settings from CDK context (see the list in infra/app.ts) and checks them; throws an
 * `InvalidContextError` naming the first bad key. Absent or empty values keep the defaults.
 * @example atlasOpsPropsFromContext(app.node) // with `-c staticEgressIps=1` → { staticEgressIps: 1 }
 */
export function atlasOpsPropsFromContext(node: Node): ContextProps {
  const read = (key: string): unknown => {
    const value: unknown = node.tryGetContext(key);
    return value === '' || value === null ? undefined : value;
  };
  const text = (key: string): string | undefined => {
    const value = read(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      throw new InvalidContextError(key, `expected a string, got ${JSON.stringify(value)}`);
    return value.trim();
  };
  const integer = (key: string): number | undefined => {
    const value = read(key);
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) {
      throw new InvalidContextError(key, `expected a whole number, got ${JSON.stringify(value)}`);
    }
    return number;
  };
  const idList = (key: string): string[] | undefined => {
    const value = read(key);
    if (value === undefined) return undefined;
    const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
    if (!items)
      throw new InvalidContextError(key, `expected comma-separated ids, got ${JSON.stringify(value)}`);
    const ids = items
      .map((item) => (typeof item === 'string' ? item.trim() : item))
      .filter((item) => item !== '');
    const bad = ids.find((id) => typeof id !== 'string' || !OBJECT_ID.test(id));
    if (bad !== undefined) {
      throw new InvalidContextError(key, `${JSON.stringify(bad)} is not a 24-hex-digit Atlas id`);
    }
    return ids.length > 0 ? (ids as string[]) : undefined;
  };

  const atlasSecretNameOrArn = text('atlasSecret');

  const inventorySchedule = text('inventorySchedule');
  if (inventorySchedule !== undefined) {
    let everyMinutes: number | undefined;
    try {
      everyMinutes = parseScheduleExpression(inventorySchedule).everyMinutes;
    } catch (error) {
      throw new InvalidContextError('inventorySchedule', (error as Error).message);
    }
    if (everyMinutes !== undefined && everyMinutes * 60 < DEFAULT_TIMEOUT.toSeconds()) {
      throw new InvalidContextError(
        'inventorySchedule',
        `${inventorySchedule} is shorter than the ${DEFAULT_TIMEOUT.toHumanString()} function timeout; runs could overlap`,
      );
    }
  }

  const inventoryOrgIds = idList('inventoryOrgIds');
  const inventoryProjectIds = idList('inventoryProjectIds');

  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new InvalidContextError('alarmEmail', `${JSON.stringify(alarmEmail)} is not an email address`);
  }

  const staticEgressIps = integer('staticEgressIps');
  if (
    staticEgressIps !== undefined &&
    (staticEgressIps < 0 || staticEgressIps > StaticEgress.MAX_ELASTIC_IPS)
  ) {
    throw new InvalidContextError(
      'staticEgressIps',
      `expected 0 (off) to ${StaticEgress.MAX_ELASTIC_IPS} Elastic IPs (one NAT gateway per AZ), got ${staticEgressIps}`,
    );
  }

  const flag = (key: string): boolean | undefined => {
    const value = read(key);
    if (value === undefined || typeof value === 'boolean') return value;
    const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    if (word === 'true' || word === 'false') return word === 'true';
    throw new InvalidContextError(key, `expected true or false, got ${JSON.stringify(value)}`);
  };

  const logRetentionDays = integer('logRetentionDays');
  if (logRetentionDays !== undefined && !RETENTION_DAYS.has(logRetentionDays)) {
    throw new InvalidContextError(
      'logRetentionDays',
      `CloudWatch Logs does not offer ${logRetentionDays} days; use one of ${[...RETENTION_DAYS].join(', ')}`,
    );
  }

  const provisioningEnabled = flag('provisioningEnabled') ?? true;
  // Checked even when the worker is off, so a typo does not wait until it is switched back on.
  const provisioningMaxConcurrency = integer('provisioningMaxConcurrency');
  if (
    provisioningMaxConcurrency !== undefined &&
    (provisioningMaxConcurrency < MAX_CONCURRENCY_RANGE.min ||
      provisioningMaxConcurrency > MAX_CONCURRENCY_RANGE.max)
  ) {
    throw new InvalidContextError(
      'provisioningMaxConcurrency',
      `expected ${MAX_CONCURRENCY_RANGE.min} to ${MAX_CONCURRENCY_RANGE.max} concurrent invocations ` +
        `(the SQS event source's maximum concurrency), got ${provisioningMaxConcurrency}`,
    );
  }

  return {
    ...(atlasSecretNameOrArn ? { atlasSecretNameOrArn } : {}),
    ...(inventorySchedule ? { inventorySchedule } : {}),
    ...(inventoryOrgIds ? { inventoryOrgIds } : {}),
    ...(inventoryProjectIds ? { inventoryProjectIds } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(staticEgressIps ? { staticEgressIps } : {}),
    ...(logRetentionDays ? { logRetention: logRetentionDays as RetentionDays } : {}),
    ...(provisioningEnabled
      ? {
          provisioning:
            provisioningMaxConcurrency === undefined ? {} : { maxConcurrency: provisioningMaxConcurrency },
        }
      : {}),
  };
}
