import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AssetHashType,
  type CfnElement,
  Duration,
  type ILocalBundling,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { type IRole, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  type IEventSource,
  Function as LambdaFunction,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import * as z from 'zod/mini';
import { bundleLambdaSync, LAMBDA_HANDLER } from '../../build/lambda-bundle.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import type { StaticEgress } from './static-egress.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where every worker's Powertools metrics go. */
export const METRICS_NAMESPACE = 'AtlasOps';
/** The period every worker alarm evaluates its metric over. */
export const ALARM_PERIOD = Duration.minutes(5);

/** A worker's environment schema (functions/<worker>/env.ts): one zod object, one key per variable. */
export type WorkerEnvSchema = z.core.$ZodObject;

/** The variable WorkerFunction sets itself from the `credentials` prop. */
type CommonVariable = 'ATLAS_SECRET_ID';

/**
 * The environment a worker passes, typed by its schema: every variable the schema requires (a missing one
 * does not compile) and only those it reads (nor does a misspelled one), each a string — CDK tokens such as
 * `bucket.bucketName` are strings at synth. Optional variables may be `undefined` (left out).
 */
export type WorkerEnvironment<Schema extends WorkerEnvSchema> = {
  [Key in keyof Omit<z.input<Schema>, CommonVariable>]: z.input<Schema>[Key] extends string | undefined
    ? z.input<Schema>[Key]
    : string;
};

/**
 * CDK's local bundling of one function: build/lambda-bundle.ts, on this machine. `entry` is a property, not
 * only a closure, because CDK's asset cache keys on the bundling options serialized as JSON, functions left
 * out: with nothing else to tell them apart, every function would be handed the first one's bundle.
 */
class LocalLambdaBundling implements ILocalBundling {
  /** The handler module, relative to the repository root. */
  readonly entry: string;

  constructor(entry: string) {
    this.entry = entry;
  }

  tryBundle(outputDir: string): boolean {
    bundleLambdaSync(join(REPO_ROOT, this.entry), outputDir);
    return true;
  }
}

/** What the stack gives every worker alike. */
export interface WorkerSettings {
  /** Notified when any alarm of the worker fires (see `addAlarm`). @default alarms without actions */
  readonly alarmTopic?: ITopic | undefined;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays | undefined;
  /**
   * X-Ray tracing (active tracing, the Powertools Tracer). Off, the function records no traces and never
   * loads the X-Ray SDK (shared/lambda/observability.ts): a leaner cold start, no X-Ray cost. @default true
   */
  readonly tracing?: boolean | undefined;
}

/** `settings`' worker settings alone, to hand from a worker's construct to its WorkerFunction. */
export function workerSettings(settings: WorkerSettings): WorkerSettings {
  return { alarmTopic: settings.alarmTopic, logRetention: settings.logRetention, tracing: settings.tracing };
}

interface WorkerFunctionBaseProps<Schema extends WorkerEnvSchema> extends WorkerSettings {
  /** The handler module, relative to the repository root, e.g. `functions/inventory/handler.ts`. */
  readonly entry: string;
  /** The function's description. */
  readonly description: string;
  /** The execution role's description. */
  readonly roleDescription: string;
  /** `POWERTOOLS_SERVICE_NAME`, e.g. `atlas-ops-inventory`. */
  readonly serviceName: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** The worker's environment schema (functions/<worker>/env.ts): it types `environment` and checks it. */
  readonly environmentSchema: Schema;
  /** The worker's own variables; WorkerFunction adds `ATLAS_SECRET_ID`, the Powertools ones and `NODE_OPTIONS`. */
  readonly environment: WorkerEnvironment<Schema>;
  /**
   * `NODE_OPTIONS`, e.g. V8 flags. @default none. Not `--enable-source-maps`: it costs 8–24 ms of every cold
   * start (docs/cold-start.md); the bundle's source map ships beside it and is read only when an error's
   * stack is formatted (shared/lambda/stack-traces.ts).
   */
  readonly nodeOptions?: string;
  /** What triggers the function, e.g. an `SqsEventSource`. @default none */
  readonly events?: IEventSource[];
  /** The description of the alarm on the function's errors (any error is one to look at). */
  readonly errorsAlarmDescription: string;
  /** Run in this VPC's private subnets so Atlas sees the calls come from its Elastic IPs. @default no VPC */
  readonly staticEgress?: StaticEgress;
  /** Lambda's retries of a failed asynchronous invocation. @default Lambda's default (2) */
  readonly retryAttempts?: number;
  /**
   * Concurrent executions reserved for (and the most allowed to) the function, taken from the account's
   * unreserved pool. @default none: each worker says why where it creates its function
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A worker that calls Atlas (its schema reads `ATLAS_SECRET_ID`) must be given the credentials; one that
 * does not (the webhook intake) gets none.
 */
export type WorkerFunctionProps<Schema extends WorkerEnvSchema> = WorkerFunctionBaseProps<Schema> &
  (CommonVariable extends keyof z.input<Schema>
    ? {
        /** The Atlas credentials: the function may read this one secret, named by `ATLAS_SECRET_ID`. */
        readonly credentials: AtlasCredentials;
      }
    : { readonly credentials?: undefined });

/**
 * The part every worker shares: a retained log group, an execution role that may write to that log group
 * only, and an X-Ray-traced Node.js 24 arm64 function bundled as minified ESM with the pinned dependencies,
 * optionally in the static-egress VPC behind an HTTPS-only security group; read access to the Atlas
 * credentials secret; the environment every worker gets (`ATLAS_SECRET_ID`, Powertools, `NODE_OPTIONS`) next
 * to the worker's own, checked against the worker's schema; and the worker's alarms, starting with one on the
 * function's errors, all notifying the alarm topic. No reserved concurrency unless the worker asks for it; each
 * worker says why where it creates its function.
 *
 * Give it the id `Default`: CDK leaves that id out of logical ids, so the resources keep the logical ids
 * they had as direct children of the worker.
 */
export class WorkerFunction<Schema extends WorkerEnvSchema = WorkerEnvSchema> extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Any error of the function: a crash, a timeout or a bug. */
  readonly errorsAlarm: Alarm;
  readonly #alarmTopic: ITopic | undefined;
  readonly #alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: WorkerFunctionProps<Schema>) {
    super(scope, id);
    this.#alarmTopic = props.alarmTopic;

    const environment: Record<string, string> = {};
    if (props.credentials) {
      // The complete ARN when known; a secret imported by name has only a partial ARN, which Secrets
      // Manager resolves ambiguously, so the name is the better id then.
      const secret = props.credentials.secret;
      environment.ATLAS_SECRET_ID = secret.secretFullArn ?? secret.secretName;
    }
    for (const [name, value] of Object.entries(props.environment as Record<string, string | undefined>)) {
      if (value !== undefined) environment[name] = value;
    }
    checkEnvironment(this, props.environmentSchema, environment);
    Object.assign(environment, {
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      // What the Powertools Tracer, and the kit before it, read: off, the X-Ray SDK is never loaded.
      POWERTOOLS_TRACE_ENABLED: String(props.tracing !== false),
    });
    if (props.nodeOptions) environment.NODE_OPTIONS = props.nodeOptions;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An explicit role instead of the default one: the AWS managed AWSLambdaBasicExecutionRole lets the
    // function write to any log group in the account; this one may write to its own only.
    const inlinePolicies: Record<string, PolicyDocument> = {
      WriteOwnLogs: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [this.logGroup.logGroupArn],
          }),
        ],
      }),
    };
    if (props.staticEgress) {
      // What AWSLambdaVPCAccessExecutionRole grants, inline: Lambda manages the function's network
      // interfaces with the execution role when it creates or updates the function.
      inlinePolicies.ManageVpcNetworkInterfaces = new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: [
              'ec2:CreateNetworkInterface',
              'ec2:DescribeNetworkInterfaces',
              'ec2:DescribeSubnets',
              'ec2:DeleteNetworkInterface',
              'ec2:AssignPrivateIpAddresses',
              'ec2:UnassignPrivateIpAddresses',
            ],
            resources: ['*'],
          }),
        ],
      });
    }
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
      inlinePolicies,
    });

    this.function = new LambdaFunction(this, 'Function', {
      description: props.description,
      // Bundled on this machine by build/lambda-bundle.ts (the module says why not NodejsFunction); the asset
      // is the bundle and its source map, hashed by content. Docker is never needed: the image is there
      // because CDK's bundling options require one.
      code: Code.fromAsset(REPO_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: { image: Runtime.NODEJS_24_X.bundlingImage, local: new LocalLambdaBundling(props.entry) },
      }),
      handler: LAMBDA_HANDLER,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      retryAttempts: props.retryAttempts,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      environment,
      ...(props.events ? { events: props.events } : {}),
      ...(props.staticEgress
        ? {
            vpc: props.staticEgress.vpc,
            vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
            securityGroups: [props.staticEgress.httpsEgressSecurityGroup(this, 'SecurityGroup')],
          }
        : {}),
    });

    props.credentials?.secret.grantRead(this.role);

    const vpcActions =
      'ec2:Describe*, and Lambda creates the network interfaces before their ids exist ' +
      '(the AWSLambdaVPCAccessExecutionRole actions, nothing more).';
    if (props.tracing !== false) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords (tracing: Active) support no resource-level permissions' +
          (props.staticEgress ? `; nor do ${vpcActions}` : '.'),
      });
    } else if (props.staticEgress) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: `No resource-level permissions for ${vpcActions}`,
      });
    }

    this.errorsAlarm = this.addAlarm(
      workerAlarm(this, 'FunctionErrorsAlarm', {
        metric: this.function.metricErrors({ period: ALARM_PERIOD, statistic: Stats.SUM }),
        description: props.errorsAlarmDescription,
      }),
    );
  }

  /** Every alarm of the worker, in the order they were added; each notifies the alarm topic. */
  get alarms(): readonly Alarm[] {
    return [...this.#alarms];
  }

  /** Makes `alarm` one of the worker's: it notifies the alarm topic, when there is one. */
  addAlarm(alarm: Alarm): Alarm {
    if (this.#alarmTopic) alarm.addAlarmAction(new SnsAction(this.#alarmTopic));
    this.#alarms.push(alarm);
    return alarm;
  }
}

export interface WorkerAlarmOptions {
  readonly metric: IMetric;
  readonly description: string;
  /** @default 1 */
  readonly threshold?: number;
}

/**
 * An alarm in the workers' style: fires when `metric` reaches `threshold` in one period; missing data (no
 * invocations, an empty queue) is not a breach. Pass it to `WorkerFunction.addAlarm` so it notifies.
 */
export function workerAlarm(scope: Construct, id: string, options: WorkerAlarmOptions): Alarm {
  return new Alarm(scope, id, {
    metric: options.metric,
    threshold: options.threshold ?? 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: options.description,
  });
}

/** The alarm (id `DeadLetterAlarm`) on a dead-letter queue holding any message: each one is work given up on. */
export function deadLetterAlarm(scope: Construct, deadLetterQueue: IQueue, description: string): Alarm {
  return workerAlarm(scope, 'DeadLetterAlarm', {
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: ALARM_PERIOD,
      statistic: Stats.MAXIMUM,
    }),
    description,
  });
}

/**
 * Lets `role` send to the worker's own dead-letter queue: the worker dead-letters a message itself on its last
 * receive, with the reason it gave up attached, rather than leaving it to the queue's redrive.
 */
export function allowDeadLettering(role: IRole, deadLetterQueue: IQueue): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'DeadLetterOwnQueue',
      actions: ['sqs:SendMessage'],
      resources: [deadLetterQueue.queueArn],
    }),
  );
}

/** The logical id cdk-nag shows in a finding about `construct`'s resource, e.g. `<Id.Arn>`. */
export function logicalIdOf(construct: IConstruct): string {
  const cfn = construct.node.defaultChild;
  if (!cfn) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(cfn as CfnElement);
}

/**
 * Fails the synth when the environment is one the function would refuse at cold start, or sets a variable
 * its schema does not read (a misspelling the loader would silently ignore). Values that are CDK tokens are
 * resolved only at deploy time; test/infra checks those against the schema with stand-in values.
 */
function checkEnvironment(scope: Construct, schema: WorkerEnvSchema, environment: Record<string, string>) {
  const fields: Readonly<Record<string, z.core.$ZodType>> = schema._zod.def.shape;
  const problems = Object.keys(environment)
    .filter((name) => !(name in fields))
    .map((name) => `${name}: is not a variable the function reads`);
  for (const [name, field] of Object.entries(fields)) {
    const value = environment[name];
    if (value !== undefined && Token.isUnresolved(value)) continue;
    const result = z.safeParse(field, value);
    for (const issue of result.error?.issues ?? []) {
      problems.push(`${[name, ...issue.path.map(String)].join('.')}: ${issue.message}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`${scope.node.path}: the function would refuse its environment: ${problems.join('; ')}`);
  }
  checkEnvironmentSize(scope, environment);
}

/** Lambda's limit on a function's environment: keys and values together. */
const MAX_ENVIRONMENT_BYTES = 4096;
/** What a CDK token (an ARN, a queue URL) is counted as before it is resolved: the longest of them. */
const TOKEN_BYTES_ESTIMATE = 160;

/**
 * Fails the synth when the environment would exceed Lambda's 4 KB (the deployment would fail, late and far
 * from the cause), naming the largest variables: JSON settings (rules, sender policies, the operation policy)
 * are what fill it.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 */
function checkEnvironmentSize(scope: Construct, environment: Record<string, string>): void {
  const sizes = Object.entries(environment).map(([name, value]) => ({
    name,
    bytes:
      Buffer.byteLength(name) + (Token.isUnresolved(value) ? TOKEN_BYTES_ESTIMATE : Buffer.byteLength(value)),
  }));
  const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
  if (total <= MAX_ENVIRONMENT_BYTES) return;
  const largest = sizes
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map(({ name, bytes }) => `${name} ${bytes} B`);
  throw new Error(
    `${scope.node.path}: the environment takes about ${total} bytes, more than Lambda's ${MAX_ENVIRONMENT_BYTES} ` +
      `(largest: ${largest.join(', ')}); shorten the JSON settings`,
  );
}
