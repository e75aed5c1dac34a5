import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StaticEgress } from './static-egress.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** ESM bundles need `require` for the CommonJS dependencies (aws-xray-sdk-core under the Tracer). */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface WorkerFunctionProps {
  /** The handler module, relative to the repository root, e.g. `functions/inventory/handler.ts`. */
  readonly entry: string;
  /** The function's description. */
  readonly description: string;
  /** The execution role's description. */
  readonly roleDescription: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** Run in this VPC's private subnets so Atlas sees the calls come from its Elastic IPs. @default no VPC */
  readonly staticEgress?: StaticEgress;
  /** Lambda's retries of a failed asynchronous invocation. @default Lambda's default (2) */
  readonly retryAttempts?: number;
}

/**
 * The Lambda part every worker shares: a retained log group, an execution role that may write to that log
 * group only, and an X-Ray-traced Node.js 24 arm64 function bundled as minified ESM with the pinned
 * dependencies, optionally in the static-egress VPC behind an HTTPS-only security group. No reserved
 * concurrency; each worker says why where it creates its function.
 *
 * Give it the id `Default`: CDK leaves that id out of logical ids, so the resources keep the logical ids
 * they had as direct children of the worker.
 */
export class WorkerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkerFunctionProps) {
    super(scope, id);

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

    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      retryAttempts: props.retryAttempts,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: props.environment,
      ...(props.staticEgress
        ? {
            vpc: props.staticEgress.vpc,
            vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
            securityGroups: [props.staticEgress.httpsEgressSecurityGroup(this, 'SecurityGroup')],
          }
        : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        banner: ESM_REQUIRE_BANNER,
        // Ship the pinned AWS SDK rather than whatever version the runtime carries.
        externalModules: [],
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords (tracing: Active) support no resource-level permissions' +
        (props.staticEgress
          ? '; nor do ec2:Describe*, and Lambda creates the network interfaces before their ids exist ' +
            '(the AWSLambdaVPCAccessExecutionRole actions, nothing more).'
          : '.'),
    });
  }
}
