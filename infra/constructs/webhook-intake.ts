import { Annotations, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { type Alarm, type IWidget, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { webhookIntakeWorker } from '../../functions/webhook-intake/worker.ts';
import { STATUS_TTL_DAYS, WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS } from '../../shared/config/rules.ts';
import { OPERATION_TYPES } from '../../shared/operations/registry.ts';
import { REQUEST_KEY_PREFIX } from '../../shared/operations/status.ts';
import { parsePolicy } from '../../shared/policy/policy.ts';
import { DELIVERY_KEY_PREFIX, SIGNED_CONTENT_KEY_PREFIX } from '../../shared/webhooks/delivery-store.ts';
import { STATUS_ROUTE_PATH, WEBHOOK_ROUTE_PATH } from '../../shared/webhooks/http-api.ts';
import { REFUSED_METRIC } from '../../shared/webhooks/metrics.ts';
import { buildRules } from '../../shared/webhooks/rules.ts';
import { closedSources, parseSenderPolicies } from '../../shared/webhooks/senders.ts';
import { WEBHOOK_SOURCES } from '../../shared/webhooks/sources.ts';
import { DASHBOARD_PERIOD, graph } from './dashboard.ts';
import type { DeployedWorker, WorkerQueue } from './deployed-worker.ts';
import { propChecks } from './prop-checks.ts';
import { existingOrNewSecret } from './secret.ts';
import { stackOutput } from './stack-output.ts';
import {
  ALARM_PERIOD,
  METRICS_NAMESPACE,
  WorkerFunction,
  type WorkerSettings,
  workerAlarm,
  workerSettings,
} from './worker-function.ts';

export interface WebhookIntakeProps extends WorkerSettings {
  /** The provisioning queue: the one queue the intake may send to. */
  readonly queue: IQueue;
  /** The operations table: PENDING records, the delivery ids (own key prefix, same TTL attribute). */
  readonly table: ITable;
  /**
   * Name or full ARN of an existing secret holding the webhook secrets (shared/webhooks/secrets.ts). When
   * absent, one is created with a random ServiceNow token, for the operator to add the other sources to.
   */
  readonly secretNameOrArn?: string;
  /** Retention of the function's and the API's log groups. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays | undefined;
  /** Steady requests per second the stage lets through (more are answered 429 by API Gateway). @default 50 */
  readonly throttleRateLimit?: number;
  /** Burst the stage lets through. @default 100 */
  readonly throttleBurstLimit?: number;
  /** Rule overrides, passed as JSON (`WEBHOOK_RULES`), checked at synth as at cold start. @default the built-in rules */
  readonly rules?: object;
  /**
   * Who may send and who may approve, per source (shared/webhooks/senders.ts), passed as JSON
   * (`WEBHOOK_SENDERS`) and checked at synth as at cold start. @default none: every source accepts nothing
   */
  readonly senders?: object;
  /**
   * Who may ask for what, where, with how many approvers (shared/policy), passed as JSON (`OPERATION_POLICY`)
   * and checked at synth as at cold start. @default none: every request is refused
   */
  readonly policy?: object;
  /**
   * The provisioner's record lifetime, in days (1–3650); deliveries are remembered a day longer, and an
   * approval signed longer ago is refused. @default 30
   */
  readonly statusTtlDays?: number;
  /** Refused deliveries in 5 minutes that raise the alarm. @default 5 */
  readonly refusedAlarmThreshold?: number;
  /** At most 29 seconds (API Gateway's integration timeout is 30). @default the manifest's, 10 seconds */
  readonly timeout?: Duration;
  /** @default the manifest's, 256 */
  readonly memorySize?: number;
}

/**
 * The webhook intake (issue 10): an API Gateway HTTP API whose `ANY /webhooks/{source}` route hands each
 * delivery to a Lambda that verifies it, maps it to an operation and sends it to the provisioning queue, and
 * whose IAM-authorised `GET /operations/{id}` answers an operation's status record. The stage is throttled
 * and writes JSON access logs; the function may send to the provisioning queue, read one secret and touch
 * the operations table by key, nothing else; alarms watch 5xx answers and refused deliveries.
 */
export class WebhookIntake extends Construct implements DeployedWorker {
  readonly manifest = webhookIntakeWorker;
  /** No queue of its own: it sends to the provisioning queue, graphed on that row. */
  readonly queues: readonly WorkerQueue[] = [];
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly accessLogGroup: LogGroup;
  readonly secret: ISecret;
  readonly alarms: readonly Alarm[];
  /** `https://<api id>.execute-api.<region>.amazonaws.com`: senders post to `{url}/webhooks/{source}`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhookIntakeProps) {
    super(scope, id);
    const settings = checkProps(props);
    const retention = props.logRetention ?? RetentionDays.THREE_MONTHS;

    this.secret = webhookSecret(this, props.secretNameOrArn);

    const worker = new WorkerFunction(this, 'Default', {
      entry: webhookIntakeWorker.entry,
      description: webhookIntakeWorker.description,
      roleDescription: 'atlas-ops webhook intake',
      serviceName: webhookIntakeWorker.serviceName,
      timeout: settings.timeout,
      memorySize: settings.memorySize,
      environmentSchema: webhookIntakeWorker.environment,
      environment: {
        // The complete ARN when known; a secret imported by name has only a partial ARN.
        WEBHOOK_SECRET_ID: this.secret.secretFullArn ?? this.secret.secretName,
        QUEUE_URL: props.queue.queueUrl,
        OPERATIONS_TABLE: props.table.tableName,
        STATUS_TTL_DAYS: String(settings.statusTtlDays),
        WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: String(WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS.default),
        WEBHOOK_RULES: settings.rulesJson,
        WEBHOOK_SENDERS: settings.sendersJson,
        OPERATION_POLICY: settings.policyJson,
      },
      // No reserved concurrency: the stage's throttle bounds the invocations, and a reservation would take
      // capacity from the account's unreserved pool for a function that answers in milliseconds.
      errorsAlarmDescription:
        'The webhook intake failed an invocation (a crash or a timeout); senders saw 5xx and will retry.',
      ...workerSettings(props),
      logRetention: retention,
    });
    this.function = worker.function;
    this.role = worker.role;
    this.logGroup = worker.logGroup;

    this.secret.grantRead(this.role);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SendToProvisioningQueue',
        actions: ['sqs:SendMessage'],
        resources: [props.queue.queueArn],
      }),
    );
    // The operations table, item by item: the intake reads any record (GET /operations/{id}) but writes only
    // its own keys, so an internet-facing function cannot touch an operation's status or idempotency record.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadOperationRecords',
        actions: ['dynamodb:GetItem'],
        resources: [props.table.tableArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        // Delivery ids and signed-content digests: claimed (put), marked done (update), released (delete).
        sid: 'ClaimAndReleaseDeliveries',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`${DELIVERY_KEY_PREFIX}*`, `${SIGNED_CONTENT_KEY_PREFIX}*`],
          },
        },
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        // Its records of the requests it takes (PENDING, AWAITING_APPROVAL, refused) under request#<id>:
        // conditional updates (created once; approvals added by version). Never deleted, never an operation's.
        sid: 'RecordRequests',
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REQUEST_KEY_PREFIX}*`] },
        },
      }),
    );

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'atlas-ops webhook intake: POST /webhooks/{source}, GET /operations/{id}',
      createDefaultStage: false,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.rateLimit, burstLimit: settings.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        // Who called what and how it went; never a header or the body (signatures, tokens, tickets).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            caller: '$context.identity.userArn',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            error: '$context.error.message',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('Intake', this.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    // ANY, not POST: the function answers other methods 405 (with Allow) instead of API Gateway's bare 404.
    const [webhookRoute] = this.api.addRoutes({
      path: WEBHOOK_ROUTE_PATH,
      methods: [HttpMethod.ANY],
      integration,
    });
    if (webhookRoute) {
      Validations.of(webhookRoute).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason:
          'Ticketing systems cannot sign AWS SigV4 or hold AWS credentials: each delivery is authenticated in ' +
          'the function, on its raw bytes, by the sender’s own scheme (HMAC signature, Standard Webhooks, or ' +
          'a bearer token) before anything is read; unauthenticated deliveries are answered 401.',
      });
    }
    this.api.addRoutes({
      path: STATUS_ROUTE_PATH,
      methods: [HttpMethod.GET],
      integration,
      authorizer: new HttpIamAuthorizer(),
    });

    this.url = this.api.apiEndpoint;
    this.alarms = [
      worker.addAlarm(
        workerAlarm(this, 'ServerErrorAlarm', {
          metric: this.api.metricServerError({ period: ALARM_PERIOD, statistic: Stats.SUM }),
          description:
            'The webhook API answered 5xx (the queue, table or secret unreachable, or the function failing); ' +
            'senders retry, but a ticket waits.',
        }),
      ),
      worker.addAlarm(
        workerAlarm(this, 'RefusedDeliveriesAlarm', {
          metric: new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: REFUSED_METRIC,
            dimensionsMap: { service: webhookIntakeWorker.serviceName },
            period: ALARM_PERIOD,
            statistic: Stats.SUM,
          }),
          threshold: settings.refusedAlarmThreshold,
          description:
            'Webhook deliveries were refused (bad signature, unknown source, invalid operation, …): a sender ' +
            'with a stale secret or a wrong configuration, or someone probing. The function log says which.',
        }),
      ),
      worker.errorsAlarm,
    ];

    if (settings.policyJson === undefined) {
      Annotations.of(this).addWarningV2(
        'atlas-ops:operation-policy',
        'No operation policy is configured (context policy or policyFile): the intake refuses every request until it is.',
      );
    }
    if (closedSources(settings.senders).length === WEBHOOK_SOURCES.length) {
      Annotations.of(this).addWarningV2(
        'atlas-ops:webhook-senders',
        'No webhook sender scope is configured (context webhookSenders): the intake accepts nothing until it is.',
      );
    }

    stackOutput(this, 'WebhookIntakeUrl', {
      value: this.url,
      description: 'Webhook senders post to <this URL>/webhooks/{jira|github|zendesk|servicenow|standard}',
    });
    stackOutput(this, 'WebhookIntakeSecretArn', {
      value: this.secret.secretArn,
      description: 'Put each source’s webhook secret in this secret (docs/webhooks.md)',
    });
  }

  /** The HTTP API's requests and its 4xx and 5xx answers, on the intake's dashboard row. */
  dashboardWidgets(): IWidget[] {
    const period = DASHBOARD_PERIOD;
    return [
      graph('HTTP API requests', [
        this.api.metricCount({ period, statistic: Stats.SUM, label: 'Requests' }),
        this.api.metricClientError({ period, statistic: Stats.SUM, label: '4xx' }),
        this.api.metricServerError({ period, statistic: Stats.SUM, label: '5xx' }),
      ]),
    ];
  }

  /**
   * Tells refused requests to their tickets: the intake may send to the notifier's outcomes queue (and to
   * nothing else of the notifier's).
   */
  tellRefusalsTo(outcomes: IQueue): void {
    // Optional in the intake's schema: without it a refusal is recorded and logged, not told.
    this.function.addEnvironment('OUTCOMES_QUEUE_URL', outcomes.queueUrl);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'TellRefusalsToOutcomesQueue',
        actions: ['sqs:SendMessage'],
        resources: [outcomes.queueArn],
      }),
    );
  }
}

/** The webhook secret: the one named, or a new one holding a random ServiceNow token. */
function webhookSecret(scope: Construct, given: string | undefined): ISecret {
  return existingOrNewSecret(scope, given, {
    description:
      'atlas-ops webhook secrets: {"jira","github","zendesk","servicenow","standard"}, each a string or {"current","previous"}',
    // A valid value from the start: a random ServiceNow bearer token; add the sources you use.
    value: {
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'servicenow',
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
      },
    },
    whyNotRotatedHere:
      'Webhook secrets are set at each sender (Jira, GitHub, Zendesk, ServiceNow, a Standard Webhooks sender) ' +
      'and rotated there, with the previous value kept here until the sender uses the new one; a rotation ' +
      'Lambda could not change the senders.',
  });
}

interface Settings {
  timeout: Duration;
  memorySize: number;
  rateLimit: number;
  burstLimit: number;
  statusTtlDays: number;
  refusedAlarmThreshold: number;
  rulesJson: string | undefined;
  senders: ReturnType<typeof parseSenderPolicies>;
  sendersJson: string | undefined;
  policyJson: string | undefined;
}

/** The props with their defaults, checked; throws one error naming the prop and the rule it breaks. */
function checkProps(props: WebhookIntakeProps): Settings {
  const { fail, integer, duration, jsonSetting } = propChecks('WebhookIntake');
  // API Gateway's integration timeout is 30 s: a longer function would be cut off mid-answer.
  const timeout = duration(
    'timeout',
    props.timeout ?? Duration.seconds(webhookIntakeWorker.timeoutSeconds),
    Duration.seconds(1),
    Duration.seconds(29),
  );
  const rulesJson = jsonSetting('rules', props.rules);
  if (props.rules !== undefined) {
    // The function's own check, so a rule it would refuse at cold start fails the synth instead.
    try {
      buildRules(props.rules);
    } catch (error) {
      fail((error as Error).message);
    }
  }
  const sendersJson = jsonSetting('senders', props.senders);
  let senders: ReturnType<typeof parseSenderPolicies> = {};
  if (props.senders !== undefined) {
    try {
      senders = parseSenderPolicies(props.senders, 'senders');
    } catch (error) {
      fail((error as Error).message);
    }
  }
  const policyJson = jsonSetting('policy', props.policy);
  if (props.policy !== undefined) {
    // The function's own check, so a policy it would refuse at cold start fails the synth, naming the field.
    try {
      parsePolicy(props.policy, new Set(OPERATION_TYPES.keys()), 'policy');
    } catch (error) {
      fail((error as Error).message);
    }
  }
  return {
    timeout,
    policyJson,
    memorySize: integer('memorySize', props.memorySize ?? webhookIntakeWorker.memoryMb, 128, 10_240),
    rateLimit: integer('throttleRateLimit', props.throttleRateLimit ?? 50, 1, 10_000),
    burstLimit: integer('throttleBurstLimit', props.throttleBurstLimit ?? 100, 1, 5_000),
    statusTtlDays: integer(
      'statusTtlDays',
      props.statusTtlDays ?? STATUS_TTL_DAYS.default,
      STATUS_TTL_DAYS.min,
      STATUS_TTL_DAYS.max,
    ),
    refusedAlarmThreshold: integer('refusedAlarmThreshold', props.refusedAlarmThreshold ?? 5, 1, 100_000),
    rulesJson,
    senders,
    sendersJson,
  };
}
