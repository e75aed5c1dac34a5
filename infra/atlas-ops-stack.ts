import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct, Node } from 'constructs';
import { z } from 'zod';
import { accessListSyncWorker } from '../functions/access-list-sync/worker.ts';
import { inventoryWorker } from '../functions/inventory/worker.ts';
import { notifierWorker } from '../functions/notifier/worker.ts';
import { provisionerWorker } from '../functions/provisioner/worker.ts';
import { webhookIntakeWorker } from '../functions/webhook-intake/worker.ts';
import { WORKERS } from '../functions/workers.ts';
import { SYNC_MODES, type SyncMode } from '../shared/access-list/model.ts';
import { isCidrBlock } from '../shared/atlas/validation.ts';
import { nearestName } from '../shared/config/near-names.ts';
import { OBJECT_ID_PATTERN, PROVISIONING_MAX_CONCURRENCY } from '../shared/config/rules.ts';
import { callsAtlas, type WorkerManifest } from '../shared/lambda/worker-manifest.ts';
import { OPERATION_TYPES } from '../shared/operations/registry.ts';
import { parsePolicy } from '../shared/policy/policy.ts';
import { parseSenderPolicies } from '../shared/webhooks/senders.ts';
import { AccessListSync } from './constructs/access-list-sync.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { AtlasCredentials } from './constructs/atlas-credentials.ts';
import { AtlasOpsDashboard } from './constructs/dashboard.ts';
import type { DeployedWorker } from './constructs/deployed-worker.ts';
import { InventoryWorker } from './constructs/inventory-worker.ts';
import { constructIdOf, deployFromManifest } from './constructs/manifest-worker.ts';
import { Notifier, type NotifierProps } from './constructs/notifier.ts';
import { ProvisioningWorker } from './constructs/provisioning-worker.ts';
import { mayOverlap, parseScheduleExpression } from './constructs/scheduled-invocation.ts';
import { stackOutput } from './constructs/stack-output.ts';
import { StaticEgress } from './constructs/static-egress.ts';
import { WebhookIntake, type WebhookIntakeProps } from './constructs/webhook-intake.ts';
import type { WorkerSettings } from './constructs/worker-function.ts';
import { CONTEXT_KEYS, type ContextKey, unknownContextKey } from './context.ts';

/** The provisioning worker's settings in the stack props; its presence is what deploys the worker. */
export interface ProvisioningSettings {
  /** The most concurrent invocations, and so parallel Atlas operations (2–1000). @default 5 */
  readonly maxConcurrency?: number;
}

/** The access-list sync's settings in the stack props; its presence is what deploys the worker. */
export interface AccessListSyncSettings {
  /** EventBridge Scheduler expression, UTC. @default 'rate(1 hour)' */
  readonly schedule?: string;
  /** `plan` (report drift, change nothing) or `apply`. @default 'plan' */
  readonly mode?: SyncMode;
  /** Whether the desired state may declare wide networks (wider than /8 or /16). @default false */
  readonly allowWideNetworks?: boolean;
  /** The most removals per list and run; the document may only lower it. @default 10 */
  readonly maxDeletions?: number;
  /** The largest share (0–1) of one list a run may remove. @default 0.5 */
  readonly maxRemovalShare?: number;
  /** The removals within 5 minutes that fire the removals alarm. @default 10 */
  readonly removalAlarmThreshold?: number;
}

export interface AtlasOpsStackProps extends StackProps {
  /** Name or ARN of an existing Atlas credentials secret; when absent, one is created to fill in. */
  readonly atlasSecretNameOrArn?: string;
  /**
   * A worker's own Atlas credentials secret (name or ARN of an existing one), by worker name (`inventory`,
   * `provisioner`, `access-list-sync`, or any other worker of `workers` that calls Atlas), so each holds only
   * the Atlas roles it needs (docs/deploy.md). A worker not named reads the stack's one secret.
   * @default every worker reads the one secret
   */
  readonly workerAtlasSecrets?: Readonly<Record<string, string>>;
  /** EventBridge Scheduler expression of the cluster inventory. @default 'rate(6 hours)' */
  readonly inventorySchedule?: string;
  /** Limit the inventory to these organizations (24 lowercase hex digits). @default all the credentials can see */
  readonly inventoryOrgIds?: readonly string[];
  /** Limit the inventory to these projects (24 lowercase hex digits). @default all the credentials can see */
  readonly inventoryProjectIds?: readonly string[];
  /** Email address notified by every alarm (an SNS topic with an email subscription). @default no notifications */
  readonly alarmEmail?: string;
  /** Elastic IPs the workers call Atlas from (0 = no VPC, the Lambda service's own addresses). @default 0 */
  readonly staticEgressIps?: number;
  /**
   * Addresses and CIDR blocks no delete operation and no sync run removes (besides the static egress
   * addresses, always protected). @default none
   */
  readonly protectedAddresses?: readonly string[];
  /** Retention of the workers' log groups. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /**
   * X-Ray tracing of every worker. Off, the functions record no traces and do not load the X-Ray SDK at a
   * cold start (docs/cold-start.md). @default true
   */
  readonly tracing?: boolean;
  /**
   * The queue-triggered provisioning worker. The app always sets it unless context `provisioningEnabled`
   * is false (see infra/app.ts); absent here, the stack has no provisioning worker.
   * @default no provisioning worker
   */
  readonly provisioning?: ProvisioningSettings;
  /**
   * The access-list sync. The app always sets it unless context `accessListSyncEnabled` is false (see
   * infra/app.ts); absent here, the stack has no sync worker.
   * @default no access-list sync
   */
  readonly accessListSync?: AccessListSyncSettings;
  /**
   * The webhook intake, which sends to the provisioning queue: deployed with the provisioning worker unless
   * this is `false` (context `webhooksEnabled`).
   * @default deployed with the provisioning worker
   */
  readonly webhookIntake?: WebhookIntakeSettings | false;
  /**
   * The notifier, which tells each ticket how its operation ended: deployed with the provisioning worker
   * unless this is `false` (context `notifierEnabled`).
   * @default deployed with the provisioning worker, no source configured
   */
  readonly notifier?: NotifierSettings | false;
  /**
   * The workers (functions/workers.ts). The five built in are deployed as the settings above say, each by
   * its own construct; any other is deployed from its manifest alone, by the generic construct of its
   * trigger (infra/constructs/manifest-worker.ts). @default WORKERS
   */
  readonly workers?: readonly WorkerManifest[];
}

/** The notifier's settings in the stack props (docs/notifications.md), documented on NotifierProps. */
export type NotifierSettings = Pick<
  NotifierProps,
  | 'secretNameOrArn'
  | 'jiraBaseUrl'
  | 'jiraTransitionOnSuccess'
  | 'jiraTransitionOnFailure'
  | 'githubApiUrl'
  | 'zendeskBaseUrl'
  | 'callbackUrls'
>;

/** The webhook intake's settings in the stack props, documented on WebhookIntakeProps. */
export type WebhookIntakeSettings = Pick<WebhookIntakeProps, 'secretNameOrArn' | 'senders' | 'policy'>;

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
  /** Set when the access-list sync is. */
  readonly accessListSync?: AccessListSync;
  /** Set when the provisioning worker is, unless `webhookIntake` is false. */
  readonly webhookIntake?: WebhookIntake;
  /** Set when the provisioning worker is, unless `notifier` is false. */
  readonly notifier?: Notifier;
  /** Every worker deployed, in the order of the workers list: what the dashboard draws a row for. */
  readonly workers: readonly DeployedWorker[];
  /** One row per worker deployed (docs/deploy.md). */
  readonly dashboard: AtlasOpsDashboard;

  constructor(scope: Construct, id: string, props: AtlasOpsStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('app', 'atlas-ops');
    this.credentials = new AtlasCredentials(this, 'AtlasCredentials', {
      ...(props.atlasSecretNameOrArn ? { secretNameOrArn: props.atlasSecretNameOrArn } : {}),
    });
    const credentialsOf = workerCredentials(this, this.credentials, props);
    stackOutput(this, 'AtlasSecretArn', {
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

    // What every worker gets alike: where alarms go, how long logs stay, whether it is traced.
    const workers: WorkerSettings = {
      ...(this.alarmTopic ? { alarmTopic: this.alarmTopic.topic } : {}),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      ...(props.tracing === false ? { tracing: false } : {}),
    };

    this.inventory = new InventoryWorker(this, 'Inventory', {
      credentials: credentialsOf(inventoryWorker),
      ...(props.inventorySchedule ? { schedule: props.inventorySchedule } : {}),
      ...(props.inventoryOrgIds ? { orgIds: props.inventoryOrgIds } : {}),
      ...(props.inventoryProjectIds ? { projectIds: props.inventoryProjectIds } : {}),
      ...workers,
      ...(this.staticEgress ? { staticEgress: this.staticEgress } : {}),
    });

    if (props.provisioning) {
      this.provisioning = new ProvisioningWorker(this, 'Provisioning', {
        credentials: credentialsOf(provisionerWorker),
        ...(props.provisioning.maxConcurrency !== undefined
          ? { maxConcurrency: props.provisioning.maxConcurrency }
          : {}),
        ...(props.protectedAddresses ? { protectedAddresses: props.protectedAddresses } : {}),
        ...workers,
        ...(this.staticEgress ? { staticEgress: this.staticEgress } : {}),
      });
      this.provisioningQueue = this.provisioning.queue;
      this.operationsTable = this.provisioning.table;
      if (props.webhookIntake !== false) {
        this.webhookIntake = new WebhookIntake(this, 'WebhookIntake', {
          queue: this.provisioning.queue,
          table: this.provisioning.table,
          ...(props.webhookIntake?.secretNameOrArn
            ? { secretNameOrArn: props.webhookIntake.secretNameOrArn }
            : {}),
          ...(props.webhookIntake?.senders ? { senders: props.webhookIntake.senders } : {}),
          ...(props.webhookIntake?.policy ? { policy: props.webhookIntake.policy } : {}),
          ...workers,
        });
      }
      if (props.notifier !== false) {
        const settings = props.notifier ?? {};
        this.notifier = new Notifier(this, 'Notifier', {
          table: this.provisioning.table,
          publisher: this.provisioning.role,
          ...settings,
          ...(this.webhookIntake ? { statusBaseUrl: this.webhookIntake.url } : {}),
          ...workers,
        });
        // Optional in the provisioner's schema: without it no outcome is published.
        this.provisioning.function.addEnvironment('OUTCOMES_QUEUE_URL', this.notifier.queue.queueUrl);
        this.webhookIntake?.tellRefusalsTo(this.notifier.queue);
      }
    }

    if (props.accessListSync) {
      // The inventory's bucket: versioned, encrypted, SSL only, access-logged; the sync keeps to access-list/.
      this.accessListSync = new AccessListSync(this, 'AccessListSync', {
        credentials: credentialsOf(accessListSyncWorker),
        bucket: this.inventory.bucket,
        ...(props.accessListSync.schedule ? { schedule: props.accessListSync.schedule } : {}),
        ...(props.accessListSync.mode ? { mode: props.accessListSync.mode } : {}),
        ...accessListGuardSettings(props.accessListSync),
        ...(props.protectedAddresses ? { protectedAddresses: props.protectedAddresses } : {}),
        ...workers,
        ...(this.staticEgress ? { staticEgress: this.staticEgress } : {}),
      });
    }

    // The built-in workers by name (undefined when switched off); every other worker of the list is deployed
    // from its manifest alone.
    const builtIn = new Map<string, DeployedWorker | undefined>([
      [inventoryWorker.name, this.inventory],
      [provisionerWorker.name, this.provisioning],
      [webhookIntakeWorker.name, this.webhookIntake],
      [accessListSyncWorker.name, this.accessListSync],
      [notifierWorker.name, this.notifier],
    ]);
    const listed = props.workers ?? WORKERS;
    const deployed = listed.map((manifest) =>
      builtIn.has(manifest.name)
        ? builtIn.get(manifest.name)
        : deployFromManifest(this, manifest, {
            credentials: credentialsOf(manifest),
            staticEgress: this.staticEgress,
            ...workers,
          }),
    );
    const unlisted = [...builtIn].filter(([name, worker]) => worker && !listed.some((m) => m.name === name));
    this.workers = [...deployed, ...unlisted.map(([, worker]) => worker)].filter(
      (worker): worker is DeployedWorker => worker !== undefined,
    );

    this.dashboard = new AtlasOpsDashboard(this, 'Dashboard', { workers: this.workers });
    stackOutput(this, 'DashboardName', {
      value: this.dashboard.dashboard.dashboardName,
      description: 'The CloudWatch dashboard of every worker: runs, errors, duration, Atlas calls, queues',
    });
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

/**
 * A context key the stack does not read (infra/context.ts), most likely a misspelt one: ignored, it would
 * leave that setting at its default. The message names the nearest known key, or lists them all.
 */
export class UnknownContextKeyError extends InvalidContextError {
  /** The known key nearest to `key`, when one is near. */
  readonly nearest: string | undefined;

  constructor(key: string, nearest: string | undefined) {
    super(key, 'unknown key');
    this.name = 'UnknownContextKeyError';
    this.nearest = nearest;
    this.message = nearest
      ? `unknown context key "${key}"; did you mean "${nearest}"?`
      : `unknown context key "${key}"; the known keys are ${Object.keys(CONTEXT_KEYS).join(', ')} ` +
        '(docs/deploy.md says what each does)';
  }
}

type ContextProps = Pick<
  AtlasOpsStackProps,
  | 'atlasSecretNameOrArn'
  | 'workerAtlasSecrets'
  | 'inventorySchedule'
  | 'inventoryOrgIds'
  | 'inventoryProjectIds'
  | 'alarmEmail'
  | 'staticEgressIps'
  | 'protectedAddresses'
  | 'logRetention'
  | 'tracing'
  | 'provisioning'
  | 'accessListSync'
  | 'webhookIntake'
  | 'notifier'
>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((days): days is RetentionDays => typeof days === 'number' && days > 0),
);

/** A zod error option whose message ends with the value given, as `-c` or cdk.json spelled it. */
const got = (expected: string) => ({
  error: (issue: { input?: unknown }) => `${expected}, got ${JSON.stringify(issue.input)}`,
});

/** Absent, `null` and `''` (`-c key=`) all leave the setting at its default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

const text = z.string(got('expected a string')).trim();

/** A whole number: a JSON number (cdk.json) or its digits (`-c key=2`). */
const wholeNumber = z.preprocess(
  (value) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value),
  z.int(got('expected a whole number')),
);

const flag = z.preprocess(
  (value) => {
    const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    return word === 'true' || word === 'false' ? word === 'true' : value;
  },
  z.boolean(got('expected true or false')),
);

/** Comma-separated Atlas ids (`-c key=a,b`) or a JSON array (cdk.json); blanks dropped, empty is unset. */
const idList = z
  .union([z.string(), z.array(z.unknown())], got('expected comma-separated ids'))
  .transform((value) =>
    (typeof value === 'string' ? value.split(',') : value)
      .map((item) => (typeof item === 'string' ? item.trim() : item))
      .filter((item) => item !== ''),
  )
  .pipe(
    z.array(
      // The workers' own rule (shared/config/rules.ts): an id they would refuse at cold start fails here.
      z.custom<string>((id) => typeof id === 'string' && OBJECT_ID_PATTERN.test(id), {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a 24-hex-digit Atlas id (lowercase, as Atlas writes them)`,
      }),
    ),
  )
  .transform((ids) => (ids.length > 0 ? ids : undefined));

/** A number (`-c key=0.5`, or a JSON number in cdk.json). */
const share = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : value),
  z.number(got('expected a number')),
);

/**
 * IP addresses and CIDR blocks, comma-separated (`-c key=a,b`) or a JSON array (cdk.json); blanks dropped,
 * empty is unset. Each checked as the workers check `PROTECTED_ADDRESSES` at cold start.
 */
const addressList = z
  .union([z.string(), z.array(z.unknown())], got('expected comma-separated addresses'))
  .transform((value) => {
    const items = typeof value === 'string' ? (jsonText(value) as unknown) : value;
    return (Array.isArray(items) ? items : String(items).split(','))
      .map((item) => (typeof item === 'string' ? item.trim() : item))
      .filter((item) => item !== '');
  })
  .pipe(
    z.array(
      z.custom<string>((item) => typeof item === 'string' && (isIP(item) !== 0 || isCidrBlock(item)), {
        error: (issue) => `${JSON.stringify(issue.input)} is not an IP address or a CIDR block`,
      }),
    ),
  )
  .transform((addresses) => (addresses.length > 0 ? addresses : undefined));

/** A schedule expression that fires no more often than a run of a function with `timeout` may last. */
const scheduleFor = (timeout: Duration) =>
  text.superRefine((expression, context) => {
    let parsed: ReturnType<typeof parseScheduleExpression>;
    try {
      parsed = parseScheduleExpression(expression);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return;
    }
    if (mayOverlap(parsed, timeout)) {
      context.addIssue({
        code: 'custom',
        message: `${expression} is shorter than the ${timeout.toHumanString()} function timeout; runs could overlap`,
      });
    }
  });

const schedule = scheduleFor(Duration.seconds(inventoryWorker.timeoutSeconds));

const { min: minConcurrency, max: maxConcurrency } = PROVISIONING_MAX_CONCURRENCY;

/** A base URL of a ticketing system: https only, so credentials never go out in clear text. */
const httpsUrl = text.pipe(
  z.url({
    protocol: /^https$/,
    error: (issue) => `expected an https:// URL, got ${JSON.stringify(issue.input)}`,
  }),
);

/** JSON text (`-c key='{…}'`) parsed; an object (cdk.json) as it is. */
const jsonText = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/** The webhook sender policies (shared/webhooks/senders.ts), checked as the intake checks them at cold start. */
const webhookSenders = z.preprocess(
  jsonText,
  z.custom<object>().superRefine((value, context) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      context.addIssue({
        code: 'custom',
        message: `expected a JSON object of sources, got ${JSON.stringify(value)}`,
      });
      return;
    }
    try {
      parseSenderPolicies(value, 'webhookSenders');
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
);

/** The operation policy (shared/policy), checked as the intake checks it at cold start, naming the bad field. */
const operationPolicy = z.preprocess(
  jsonText,
  z.custom<object>().superRefine((value, context) => {
    try {
      parsePolicy(value, new Set(OPERATION_TYPES.keys()), 'policy');
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
);

/**
 * The policy from `policy` (JSON) or `policyFile` (a JSON file, read at synth and checked as `policy` is);
 * nothing when neither is set. Both at once is a mistake: the one the file holds would silently win.
 */
function policySetting(policy: object | undefined, file: string | undefined): { policy?: object } {
  if (policy !== undefined && file !== undefined) {
    throw new InvalidContextError('policyFile', 'give the policy as policy or as policyFile, not both');
  }
  if (file === undefined) return policy === undefined ? {} : { policy };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidContextError('policyFile', `cannot read ${file}: ${(error as Error).message}`);
  }
  const result = operationPolicy.safeParse(text);
  if (!result.success) {
    throw new InvalidContextError('policyFile', `${file}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  }
  return { policy: result.data };
}

/** `{"servicenow": "https://…"}`, as JSON text (`-c`) or an object (cdk.json). */
const callbackUrls = z.preprocess(
  jsonText,
  z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected source names as keys'),
    z.url({ protocol: /^https$/, error: 'expected https:// callback URLs' }),
    got('expected a JSON object of source → https:// callback URL'),
  ),
);

/**
 * The stack's context keys, each checked, turned into the stack's props; infra/context.ts says what each does
 * (the type keeps the two lists the same).
 */
const contextSchema = z
  .object({
    atlasSecret: optional(text),
    inventoryAtlasSecret: optional(text),
    provisionerAtlasSecret: optional(text),
    accessListSyncAtlasSecret: optional(text),
    inventorySchedule: optional(schedule),
    inventoryOrgIds: optional(idList),
    inventoryProjectIds: optional(idList),
    alarmEmail: optional(
      text.regex(EMAIL, { error: (issue) => `${JSON.stringify(issue.input)} is not an email address` }),
    ),
    staticEgressIps: optional(
      wholeNumber.refine((ips) => ips >= 0 && ips <= StaticEgress.MAX_ELASTIC_IPS, {
        error: (issue) =>
          `expected 0 (off) to ${StaticEgress.MAX_ELASTIC_IPS} Elastic IPs (one NAT gateway per AZ), got ${issue.input}`,
      }),
    ),
    logRetentionDays: optional(
      wholeNumber.refine((days) => RETENTION_DAYS.has(days), {
        error: (issue) =>
          `CloudWatch Logs does not offer ${issue.input} days; use one of ${[...RETENTION_DAYS].join(', ')}`,
      }),
    ),
    tracing: optional(flag),
    provisioningEnabled: optional(flag),
    // Checked even when the worker is off, so a typo does not wait until it is switched back on.
    provisioningMaxConcurrency: optional(
      wholeNumber.refine((n) => n >= minConcurrency && n <= maxConcurrency, {
        error: (issue) =>
          `expected ${minConcurrency} to ${maxConcurrency} concurrent invocations ` +
          `(the SQS event source's maximum concurrency), got ${issue.input}`,
      }),
    ),
    accessListSyncEnabled: optional(flag),
    accessListSyncSchedule: optional(scheduleFor(Duration.seconds(accessListSyncWorker.timeoutSeconds))),
    accessListSyncMode: optional(z.enum(SYNC_MODES, got(`expected ${SYNC_MODES.join(' or ')}`))),
    accessListSyncAllowWideNetworks: optional(flag),
    accessListMaxDeletions: optional(
      wholeNumber.refine((n) => n >= 0 && n <= 10_000, {
        error: (issue) => `expected 0 to 10000 removals per list and run, got ${issue.input}`,
      }),
    ),
    accessListMaxRemovalShare: optional(
      share.refine((n) => n >= 0 && n <= 1, {
        error: (issue) => `expected a share from 0 to 1 (0.5: half a list), got ${issue.input}`,
      }),
    ),
    accessListRemovalAlarmThreshold: optional(
      wholeNumber.refine((n) => n >= 1 && n <= 10_000, {
        error: (issue) => `expected 1 to 10000 entries removed within 5 minutes, got ${issue.input}`,
      }),
    ),
    protectedAddresses: optional(addressList),
    webhooksEnabled: optional(flag),
    webhookSecret: optional(text),
    webhookSenders: optional(webhookSenders),
    policy: optional(operationPolicy),
    policyFile: optional(text),
    notifierEnabled: optional(flag),
    notifierSecret: optional(text),
    jiraBaseUrl: optional(httpsUrl),
    jiraTransitionOnSuccess: optional(text),
    jiraTransitionOnFailure: optional(text),
    githubApiUrl: optional(httpsUrl),
    zendeskBaseUrl: optional(httpsUrl),
    callbackUrls: optional(callbackUrls),
  } satisfies Record<ContextKey, z.ZodType>)
  .transform(
    (context): ContextProps => ({
      ...(context.atlasSecret ? { atlasSecretNameOrArn: context.atlasSecret } : {}),
      ...workerAtlasSecretsOf({
        [inventoryWorker.name]: context.inventoryAtlasSecret,
        [provisionerWorker.name]: context.provisionerAtlasSecret,
        [accessListSyncWorker.name]: context.accessListSyncAtlasSecret,
      }),
      ...(context.inventorySchedule ? { inventorySchedule: context.inventorySchedule } : {}),
      ...(context.inventoryOrgIds ? { inventoryOrgIds: context.inventoryOrgIds } : {}),
      ...(context.inventoryProjectIds ? { inventoryProjectIds: context.inventoryProjectIds } : {}),
      ...(context.alarmEmail ? { alarmEmail: context.alarmEmail } : {}),
      ...(context.staticEgressIps ? { staticEgressIps: context.staticEgressIps } : {}),
      ...(context.protectedAddresses ? { protectedAddresses: context.protectedAddresses } : {}),
      ...(context.logRetentionDays ? { logRetention: context.logRetentionDays as RetentionDays } : {}),
      ...(context.tracing === false ? { tracing: false } : {}),
      ...((context.provisioningEnabled ?? true)
        ? {
            provisioning:
              context.provisioningMaxConcurrency === undefined
                ? {}
                : { maxConcurrency: context.provisioningMaxConcurrency },
          }
        : {}),
      ...((context.accessListSyncEnabled ?? true)
        ? {
            accessListSync: {
              ...(context.accessListSyncSchedule ? { schedule: context.accessListSyncSchedule } : {}),
              ...(context.accessListSyncMode ? { mode: context.accessListSyncMode } : {}),
              ...(context.accessListSyncAllowWideNetworks ? { allowWideNetworks: true } : {}),
              ...(context.accessListMaxDeletions === undefined
                ? {}
                : { maxDeletions: context.accessListMaxDeletions }),
              ...(context.accessListMaxRemovalShare === undefined
                ? {}
                : { maxRemovalShare: context.accessListMaxRemovalShare }),
              ...(context.accessListRemovalAlarmThreshold === undefined
                ? {}
                : { removalAlarmThreshold: context.accessListRemovalAlarmThreshold }),
            },
          }
        : {}),
      ...(context.webhooksEnabled === false
        ? { webhookIntake: false as const }
        : context.webhookSecret || context.webhookSenders || context.policy || context.policyFile
          ? {
              webhookIntake: {
                ...(context.webhookSecret ? { secretNameOrArn: context.webhookSecret } : {}),
                ...(context.webhookSenders ? { senders: context.webhookSenders } : {}),
                ...policySetting(context.policy, context.policyFile),
              },
            }
          : {}),
      // On by default with the provisioning worker, so only a change from the default is a prop.
      ...(context.notifierEnabled === false ? { notifier: false as const } : notifierSettings(context)),
    }),
  );

/**
 * The Atlas credentials each worker reads: its own secret when `workerAtlasSecrets` names one, else the
 * stack's. A name that is no worker calling Atlas fails the synth, naming the nearest (a typo would leave the
 * worker on the stack's secret, with more rights than meant).
 */
function workerCredentials(
  stack: Construct,
  shared: AtlasCredentials,
  props: Pick<AtlasOpsStackProps, 'workerAtlasSecrets' | 'workers'>,
): (manifest: WorkerManifest) => AtlasCredentials {
  const atlasWorkers = (props.workers ?? WORKERS).filter(callsAtlas);
  const own = new Map<string, AtlasCredentials>();
  for (const [name, secretNameOrArn] of Object.entries(props.workerAtlasSecrets ?? {})) {
    const manifest = atlasWorkers.find((worker) => worker.name === name);
    if (!manifest) {
      const names = atlasWorkers.map((worker) => worker.name);
      const nearest = nearestName(name, names);
      throw new Error(
        `workerAtlasSecrets: "${name}" is no worker that calls Atlas` +
          (nearest ? `; did you mean "${nearest}"?` : `; the workers that do are ${names.join(', ')}`),
      );
    }
    if (secretNameOrArn.trim() === '') throw new Error(`workerAtlasSecrets: "${name}" names no secret`);
    own.set(
      name,
      new AtlasCredentials(stack, `${constructIdOf(manifest)}AtlasCredentials`, { secretNameOrArn }),
    );
  }
  return (manifest) => own.get(manifest.name) ?? shared;
}

/** The per-worker secret context keys as `workerAtlasSecrets`; nothing when none is set. */
function workerAtlasSecretsOf(byWorker: Record<string, string | undefined>) {
  const named = Object.entries(byWorker).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return named.length > 0 ? { workerAtlasSecrets: Object.fromEntries(named) } : {};
}

/** The access-list sync's guard settings of the stack props, as its construct takes them. */
function accessListGuardSettings(settings: AccessListSyncSettings) {
  return {
    ...(settings.allowWideNetworks ? { allowWideNetworks: true } : {}),
    ...(settings.maxDeletions === undefined ? {} : { maxDeletions: settings.maxDeletions }),
    ...(settings.maxRemovalShare === undefined ? {} : { maxRemovalShare: settings.maxRemovalShare }),
    ...(settings.removalAlarmThreshold === undefined
      ? {}
      : { removalAlarmThreshold: settings.removalAlarmThreshold }),
  };
}

/** The notifier's context keys as its settings; nothing when none is set (the defaults). */
function notifierSettings(context: {
  notifierSecret?: string | undefined;
  jiraBaseUrl?: string | undefined;
  jiraTransitionOnSuccess?: string | undefined;
  jiraTransitionOnFailure?: string | undefined;
  githubApiUrl?: string | undefined;
  zendeskBaseUrl?: string | undefined;
  callbackUrls?: Record<string, string> | undefined;
}): { notifier?: NotifierSettings } {
  const settings: { -readonly [K in keyof NotifierSettings]: NotifierSettings[K] } = {};
  if (context.notifierSecret) settings.secretNameOrArn = context.notifierSecret;
  if (context.jiraBaseUrl) settings.jiraBaseUrl = context.jiraBaseUrl;
  if (context.jiraTransitionOnSuccess) settings.jiraTransitionOnSuccess = context.jiraTransitionOnSuccess;
  if (context.jiraTransitionOnFailure) settings.jiraTransitionOnFailure = context.jiraTransitionOnFailure;
  if (context.githubApiUrl) settings.githubApiUrl = context.githubApiUrl;
  if (context.zendeskBaseUrl) settings.zendeskBaseUrl = context.zendeskBaseUrl;
  if (context.callbackUrls) settings.callbackUrls = context.callbackUrls;
  return Object.keys(settings).length > 0 ? { notifier: settings } : {};
}

/**
 * Reads the stack's settings from CDK context (infra/context.ts, docs/deploy.md) and checks them; throws an
 * `InvalidContextError` naming the first bad key, or an `UnknownContextKeyError` for a key the stack does not
 * read (the CDK's own context aside). Absent or empty values keep the defaults.
 * @example atlasOpsPropsFromContext(app.node) // with `-c staticEgressIps=1` → { staticEgressIps: 1 }
 */
export function atlasOpsPropsFromContext(node: Node): ContextProps {
  const unknown = unknownContextKey(Object.keys(node.getAllContext()));
  if (unknown) throw new UnknownContextKeyError(unknown.key, unknown.nearest);
  const context = Object.fromEntries(Object.keys(CONTEXT_KEYS).map((key) => [key, node.tryGetContext(key)]));
  const result = contextSchema.safeParse(context);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new InvalidContextError(String(issue?.path[0] ?? '(context)'), issue?.message ?? 'invalid');
}
