import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { notifierWorker } from '../../functions/notifier/worker.ts';
import { STATUS_TTL_DAYS } from '../../shared/config/rules.ts';
import { NOTIFIED_PREFIX } from '../../shared/notify/adapters/notification-ledger.ts';
import type { DeployedWorker, WorkerQueue } from './deployed-worker.ts';
import { propChecks } from './prop-checks.ts';
import { QueueWorker } from './queue-worker.ts';
import { existingOrNewSecret } from './secret.ts';
import { stackOutput } from './stack-output.ts';
import { type WorkerSettings, workerSettings } from './worker-function.ts';

export interface NotifierProps extends WorkerSettings {
  /** The operations table: the notifier puts and reads only `notified#…` items there. */
  readonly table: ITable;
  /** The provisioner's role: it may send to the outcomes queue (and nothing else of the notifier's). */
  readonly publisher: IGrantable;
  /** Name or full ARN of an existing credentials secret. @default a new, empty (`{}`) secret */
  readonly secretNameOrArn?: string;
  /** The Jira Cloud site, e.g. `https://acme.atlassian.net`. @default Jira not told */
  readonly jiraBaseUrl?: string;
  /** Jira transitions by name after the comment. @default none */
  readonly jiraTransitionOnSuccess?: string;
  readonly jiraTransitionOnFailure?: string;
  /** @default https://api.github.com */
  readonly githubApiUrl?: string;
  /** The Zendesk account, e.g. `https://acme.zendesk.com`. @default Zendesk not told */
  readonly zendeskBaseUrl?: string;
  /** Standard Webhooks callback URL per other source, e.g. `{ servicenow: 'https://…' }`. @default none */
  readonly callbackUrls?: Record<string, string>;
  /** The webhook intake's URL, for status links in comments. @default no link */
  readonly statusBaseUrl?: string;
  /** Days a `notified#…` mark is kept (1–3650). @default 30 */
  readonly statusTtlDays?: number;
}

/**
 * The notifier (issue 12): the outcomes queue (with its own dead-letter queue) that the provisioner publishes
 * each operation's end state to, and a Lambda that tells the ticket it came from — a Jira, GitHub or Zendesk
 * comment, or a signed Standard Webhooks callback. It may consume its queue, dead-letter to its DLQ, read one
 * secret and put/update/delete only `notified#…` items; an alarm fires on anything in its DLQ.
 */
export class Notifier extends Construct implements DeployedWorker {
  readonly manifest = notifierWorker;
  /** The outcomes queue, its dead-letter queue and the function, as every queue worker has them. */
  readonly worker: QueueWorker;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    const statusTtlDays = propChecks('Notifier').integer(
      'statusTtlDays',
      props.statusTtlDays ?? STATUS_TTL_DAYS.default,
      STATUS_TTL_DAYS.min,
      STATUS_TTL_DAYS.max,
    );
    this.secret = notifierSecret(this, props.secretNameOrArn);

    // Id `Default` so the queues, log group, role and function keep their logical ids (see QueueWorker).
    this.worker = new QueueWorker(this, 'Default', {
      manifest: notifierWorker,
      environment: {
        NOTIFIER_SECRET_ID: this.secret.secretFullArn ?? this.secret.secretName,
        OPERATIONS_TABLE: props.table.tableName,
        STATUS_TTL_DAYS: String(statusTtlDays),
        JIRA_BASE_URL: props.jiraBaseUrl,
        JIRA_TRANSITION_ON_SUCCESS: props.jiraTransitionOnSuccess,
        JIRA_TRANSITION_ON_FAILURE: props.jiraTransitionOnFailure,
        GITHUB_API_URL: props.githubApiUrl,
        ZENDESK_BASE_URL: props.zendeskBaseUrl,
        CALLBACK_URLS: props.callbackUrls ? JSON.stringify(props.callbackUrls) : undefined,
        STATUS_BASE_URL: props.statusBaseUrl,
      },
      deadLetterAlarmDescription:
        'A ticket was not told how its operation ended (the notifier dead-letter queue).',
      errorsAlarmDescription: 'The notifier failed a whole invocation (see the function log group).',
      ...workerSettings(props),
    });
    this.queue = this.worker.queue;
    this.deadLetterQueue = this.worker.deadLetterQueue;
    this.function = this.worker.function;
    this.role = this.worker.role;
    this.logGroup = this.worker.logGroup;

    this.secret.grantRead(this.role);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        // The ledger of told outcomes: its own key prefix only, never an operation's record.
        sid: 'LedgerOfNotifications',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${NOTIFIED_PREFIX}*`] } },
      }),
    );
    this.queue.grantSendMessages(props.publisher);

    stackOutput(this, 'NotifierSecretArn', {
      value: this.secret.secretArn,
      description:
        'Put the ticketing credentials here: {"jira","github","zendesk", <source>: {"signingSecret"}}',
    });
    stackOutput(this, 'NotifierDeadLetterQueueUrl', {
      value: this.deadLetterQueue.queueUrl,
      description: 'Outcomes the notifier could not tell',
    });
  }

  get alarms(): readonly Alarm[] {
    return this.worker.alarms;
  }

  get queues(): readonly WorkerQueue[] {
    return this.worker.queues;
  }
}

/** The notifier's credentials secret: the one named, or a new, empty one. */
function notifierSecret(scope: Construct, given: string | undefined): ISecret {
  return existingOrNewSecret(scope, given, {
    description:
      'atlas-ops notifier credentials: {"jira":{"email","apiToken"},"github":{"token"},"zendesk":{"email","apiToken"},"<source>":{"signingSecret"}}',
    // Valid and empty from the start: no source is told until its credentials are added.
    value: { secretObjectValue: {} },
    whyNotRotatedHere:
      'Ticketing API tokens are issued and rotated in Jira, GitHub and Zendesk; a rotation Lambda could not ' +
      'issue them. The notifier rereads the secret after a 401.',
  });
}
