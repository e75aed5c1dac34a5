import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { AtlasOpsStack, type AtlasOpsStackProps } from '../../infra/atlas-ops-stack.ts';
import { AtlasCredentials } from '../../infra/constructs/atlas-credentials.ts';
import { InventoryWorker } from '../../infra/constructs/inventory-worker.ts';
import { parseScheduleExpression } from '../../infra/constructs/scheduled-invocation.ts';
import { StaticEgress } from '../../infra/constructs/static-egress.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { testApp } from '../support/cdk.ts';

function atlasOps(props: AtlasOpsStackProps = {}) {
  const stack = new AtlasOpsStack(testApp(), 'Test', props);
  return { stack, template: Template.fromStack(stack), ref: (value: unknown) => stack.resolve(value) };
}

/** Every statement of every IAM policy and inline role policy in the template. */
function iamStatements(template: Template): { Action: string | string[]; Resource: unknown }[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).map(
    (policy) => policy.Properties.PolicyDocument,
  );
  const inline = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) =>
    (role.Properties.Policies ?? []).map((policy: { PolicyDocument: unknown }) => policy.PolicyDocument),
  );
  return [...policies, ...inline].flatMap((document) => document.Statement);
}

const actionsOf = (statement: { Action: string | string[] }) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

// Built once: most tests only read them.
const plain = atlasOps();
const full = atlasOps({
  staticEgressIps: 2,
  alarmEmail: 'ops@example.com',
  inventorySchedule: 'cron(0 6 * * ? *)',
  inventoryOrgIds: ['5f1a2b3c4d5e6f7a8b9c0d1e'],
  inventoryProjectIds: ['0123456789abcdef01234567', '89abcdef0123456789abcdef'],
  logRetention: RetentionDays.ONE_MONTH,
});

describe('InventoryWorker function', () => {
  it('lets Lambda retry a failed run twice: the schedule only retries invocations it could not deliver', () => {
    // EventBridge Scheduler invokes Lambda asynchronously; once Lambda has accepted the event, only Lambda's
    // own retries run a failed inventory again.
    plain.template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    plain.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
  });

  it('runs the inventory handler on nodejs24.x, arm64, with X-Ray tracing and no reserved concurrency', () => {
    // Prepare
    const { template } = plain;

    // Act
    const functions = template.findResources('AWS::Lambda::Function');

    // Assess
    expect(Object.keys(functions)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Timeout: 300,
      MemorySize: 1024,
      ReservedConcurrentExecutions: Match.absent(),
      VpcConfig: Match.absent(),
    });
  });

  it('logs to its own log group, kept three months by default', () => {
    // Prepare
    const { template, stack, ref } = plain;

    // Act
    const logGroup = ref(stack.inventory.logGroup.logGroupName);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: logGroup } });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });

  it('gets exactly the documented environment, without the optional variables when not given', () => {
    // Prepare
    const { template, stack, ref } = plain;

    // Act
    const expected = {
      ATLAS_SECRET_ID: ref(stack.credentials.secret.secretArn),
      SNAPSHOT_BUCKET: ref(stack.inventory.bucket.bucketName),
      SNAPSHOT_PREFIX: 'inventory/',
      INVENTORY_CONCURRENCY: '12',
      POWERTOOLS_SERVICE_NAME: 'atlas-ops-inventory',
      POWERTOOLS_METRICS_NAMESPACE: 'AtlasOps',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACE_ENABLED: 'true',
      NODE_OPTIONS: '--max-semi-space-size=4',
    };

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectEquals(expected) },
    });
  });

  it('passes org and project ids comma-separated and an existing secret by name', () => {
    // Prepare
    const app = testApp();

    // Act
    const stack = new AtlasOpsStack(app, 'Scoped', {
      atlasSecretNameOrArn: 'atlas/prod',
      inventoryOrgIds: ['5f1a2b3c4d5e6f7a8b9c0d1e'],
      inventoryProjectIds: ['0123456789abcdef01234567', '89abcdef0123456789abcdef'],
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ATLAS_SECRET_ID: 'atlas/prod',
          INVENTORY_ORG_IDS: '5f1a2b3c4d5e6f7a8b9c0d1e',
          INVENTORY_PROJECT_IDS: '0123456789abcdef01234567,89abcdef0123456789abcdef',
        }),
      },
    });
  });

  it('honours concurrency, rules, timeout, memory and retention props', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Props');
    const credentials = new AtlasCredentials(stack, 'Credentials', {
      secretNameOrArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas/prod-AbCdEf',
    });

    // Act
    new InventoryWorker(stack, 'Inventory', {
      credentials,
      concurrency: 4,
      rules: { minMongoDBVersion: '7.0', requireBackup: true },
      timeout: Duration.minutes(10),
      memorySize: 2048,
      logRetention: RetentionDays.ONE_WEEK,
      snapshotRetentionDays: 30,
    });
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 600,
      MemorySize: 2048,
      Environment: {
        Variables: Match.objectLike({
          ATLAS_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas/prod-AbCdEf',
          INVENTORY_CONCURRENCY: '4',
          INVENTORY_RULES: '{"minMongoDBVersion":"7.0","requireBackup":true}',
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'inventory/20', ExpirationInDays: 30 })]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 480_000 });
  });

  it('rejects settings that cannot work, naming the setting', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Invalid');
    const credentials = new AtlasCredentials(stack, 'Credentials');
    const worker = (id: string, props: object) => () =>
      new InventoryWorker(stack, id, { credentials, ...props });

    // Act + Assess
    expect(worker('Overlap', { schedule: 'rate(2 minutes)' })).toThrow(/shorter than the function timeout/);
    expect(worker('Concurrency', { concurrency: 0 })).toThrow(/concurrency must be an integer from 1 to 64/);
    expect(worker('Retention', { snapshotRetentionDays: 0 })).toThrow(/snapshotRetentionDays/);
    expect(worker('Rules', { rules: { big: 'x'.repeat(3000) } })).toThrow(/rules take \d+ bytes/);
    expect(worker('Schedule', { schedule: 'every 6 hours' })).toThrow(/Invalid schedule 'every 6 hours'/);
  });
});

describe('parseScheduleExpression', () => {
  it('accepts rate and six-field cron expressions and reports a rate in minutes', () => {
    // Act
    const hourly = parseScheduleExpression('rate(1 hour)');
    const sixHourly = parseScheduleExpression('rate(6 hours)');
    const daily = parseScheduleExpression('cron(0 6 * * ? *)');

    // Assess
    expect(hourly.everyMinutes).toBe(60);
    expect(sixHourly.everyMinutes).toBe(360);
    expect(sixHourly.expression.expressionString).toBe('rate(6 hours)');
    expect(daily.everyMinutes).toBeUndefined();
    expect(daily.expression.expressionString).toBe('cron(0 6 * * ? *)');
  });

  it.each([
    'rate(1 hours)',
    'rate(6 hour)',
    'rate(0 minutes)',
    'rate(6 weeks)',
    'cron(0 6 * * ?)',
    '6 hours',
  ])('rejects %s', (text) => {
    // Act + Assess
    expect(() => parseScheduleExpression(text)).toThrow(`Invalid schedule '${text}'`);
  });
});

describe('InventoryWorker schedule', () => {
  it('invokes the function every 6 hours (UTC) with 2 retries, a 1-hour event age and a dead-letter queue', () => {
    // Prepare
    const { template, stack, ref } = plain;

    // Act
    const worker = stack.inventory;

    // Assess
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      GroupName: ref(worker.scheduleGroup.scheduleGroupName),
      Target: {
        Arn: ref(worker.function.functionArn),
        RoleArn: Match.anyValue(),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: ref(worker.deadLetterQueue.queueArn) },
      },
    });
  });

  it('uses the schedule from the stack props', () => {
    // Act
    const { template } = full;

    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 6 * * ? *)' });
  });

  it('keeps dead letters 14 days in an encrypted, TLS-only queue', () => {
    // Prepare
    const { template, stack, ref } = plain;

    // Act
    const queue = ref(stack.inventory.deadLetterQueue.queueArn);

    // Assess
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: queue,
          }),
        ]),
      },
    });
  });

  it('lets only its own schedule group assume the scheduler role, which may invoke this function and dead-letter only', () => {
    // Prepare
    const { template, stack, ref } = plain;
    const worker = stack.inventory;

    // Act
    const functionArn = ref(worker.function.functionArn);

    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': ref(worker.scheduleGroup.scheduleGroupArn),
              },
            },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayEquals([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: [functionArn, { 'Fn::Join': ['', [functionArn, ':*']] }],
          }),
          Match.objectLike({ Action: 'sqs:SendMessage', Resource: ref(worker.deadLetterQueue.queueArn) }),
        ]),
      },
    });
  });
});

describe('InventoryWorker snapshot bucket', () => {
  it('is encrypted, versioned, private, retained and logs access to a separate bucket', () => {
    // Prepare
    const { template, stack, ref } = plain;

    // Act
    const bucket = template.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    });

    // Assess
    expect(Object.keys(bucket)).toEqual([ref(stack.inventory.bucket.bucketName).Ref]);
    expect(Object.values(bucket)[0]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: ref(stack.inventory.accessLogsBucket.bucketName),
          LogFilePrefix: 'snapshot-bucket/',
        },
      },
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('expires dated snapshots after 365 days but never latest.json, and old versions after 30 days', () => {
    // Prepare
    const { template } = plain;

    // Act
    const rules = Match.arrayEquals([
      { Id: 'expire-dated-snapshots', Status: 'Enabled', Prefix: 'inventory/20', ExpirationInDays: 365 },
      {
        Id: 'expire-noncurrent-versions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        ExpiredObjectDeleteMarker: true,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);

    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: rules } });
    expect('inventory/latest.json'.startsWith('inventory/20')).toBe(false);
    expect('inventory/2026/05/01/20260501T060000Z/snapshot.json'.startsWith('inventory/20')).toBe(true);
  });

  it('refuses plain HTTP on both buckets, and lets only S3 logging of the snapshot bucket write access logs', () => {
    // Prepare
    const { template, stack, ref } = plain;
    const worker = stack.inventory;

    // Act
    const policies = template.findResources('AWS::S3::BucketPolicy');

    // Assess
    expect(Object.keys(policies)).toHaveLength(2);
    for (const bucket of [worker.bucket, worker.accessLogsBucket]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: ref(bucket.bucketName),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(worker.accessLogsBucket.bucketName),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': ref(worker.bucket.bucketArn) } }),
          }),
        ]),
      },
    });
  });
});

describe('InventoryWorker permissions', () => {
  it('has no managed policies and writes only to its own log group', () => {
    // Prepare
    const { template, stack, ref } = plain;

    // Act
    const roles = template.findResources('AWS::IAM::Role');

    // Assess
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      Policies: [
        {
          PolicyName: 'WriteOwnLogs',
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: ref(stack.inventory.logGroup.logGroupArn),
              },
            ],
          },
        },
      ],
    });
  });

  it('reads the one secret, reads and writes the snapshot prefix, lists only that prefix, and traces', () => {
    // Prepare
    const { template, stack, ref } = plain;
    const worker = stack.inventory;
    const bucketArn = ref(worker.bucket.bucketArn);

    // Act
    const expected = Match.arrayEquals([
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: ref(stack.credentials.secret.secretArn),
      },
      {
        Sid: 'ReadWriteSnapshots',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/inventory/*']] },
      },
      {
        Sid: 'ListSnapshotPrefix',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['inventory/*'] } },
      },
    ]);

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(worker.role.roleName)],
      PolicyDocument: { Statement: expected },
    });
  });

  it('grants "*" only for actions that have no resource-level permissions', () => {
    // Prepare
    const allowedOnStar = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ]);

    // Act
    const onStar = [plain, full].flatMap(({ template }) =>
      iamStatements(template).filter((statement) => statement.Resource === '*'),
    );

    // Assess
    expect(onStar.length).toBeGreaterThan(0);
    for (const statement of onStar) {
      for (const action of actionsOf(statement)) expect(allowedOnStar).toContain(action);
    }
    expect(
      iamStatements(plain.template)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('ec2:')),
    ).toEqual([]);
  });
});

describe('InventoryWorker alarms', () => {
  it('alarms on errors, dead letters, lost invocations and duration near the timeout, without actions by default', () => {
    // Prepare
    const { template } = plain;
    const common = {
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: Match.absent(),
    };

    // Act
    const alarms = template.findResources('AWS::CloudWatch::Alarm');

    // Assess
    expect(Object.keys(alarms)).toHaveLength(4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...common,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...common,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...common,
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      Statistic: 'Maximum',
      Threshold: 240_000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...common,
      Threshold: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(dropped, 0) + FILL(dlqFailed, 0)' }),
        Match.objectLike({
          Id: 'dropped',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: 'AWS/Scheduler', MetricName: 'InvocationDroppedCount' }),
          }),
        }),
        Match.objectLike({
          Id: 'dlqFailed',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              Namespace: 'AWS/Scheduler',
              MetricName: 'InvocationsFailedToBeSentToDeadLetterCount',
            }),
          }),
        }),
      ]),
    });
  });

  it('notifies the alarm topic from every alarm when one is given', () => {
    // Prepare
    const stack = new Stack(testApp(), 'WithTopic');
    const topic = new Topic(stack, 'Topic');

    // Act
    new InventoryWorker(stack, 'Inventory', {
      credentials: new AtlasCredentials(stack, 'Credentials'),
      alarmTopic: topic,
    });
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');

    // Assess
    expect(Object.values(alarms)).toHaveLength(4);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([stack.resolve(topic.topicArn)]);
    }
  });
});

describe('InventoryWorker outputs', () => {
  it('outputs the bucket, function and schedule names', () => {
    // Prepare
    const { template, stack, ref } = plain;
    const worker = stack.inventory;

    // Act
    const outputs = template.findOutputs('*');

    // Assess: under the names the docs give them.
    expect(outputs.SnapshotBucketName?.Value).toEqual(ref(worker.bucket.bucketName));
    expect(outputs.InventoryFunctionName?.Value).toEqual(ref(worker.function.functionName));
    expect(outputs.InventoryScheduleName?.Value).toEqual(ref(worker.schedule.scheduleName));
  });
});

describe('static egress', () => {
  it('is off by default: no VPC, Elastic IP, NAT gateway or security group', () => {
    // Prepare
    const { template } = plain;

    // Act + Assess
    for (const type of [
      'AWS::EC2::VPC',
      'AWS::EC2::EIP',
      'AWS::EC2::NatGateway',
      'AWS::EC2::SecurityGroup',
    ]) {
      template.resourceCountIs(type, 0);
    }
  });

  it('puts one NAT gateway on each allocated Elastic IP and outputs the addresses', () => {
    // Prepare
    const { template, stack, ref } = full;
    const egress = stack.staticEgress;

    // Act
    const eips = Object.keys(template.findResources('AWS::EC2::EIP'));
    const outputs = Object.values(template.findOutputs('*')).map((output) => output.Value);

    // Assess
    expect(egress?.elasticIps).toHaveLength(2);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    expect(eips).toHaveLength(2);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    for (const eip of eips) {
      template.hasResourceProperties('AWS::EC2::NatGateway', {
        AllocationId: { 'Fn::GetAtt': [eip, 'AllocationId'] },
      });
      expect(outputs).toContainEqual({ 'Fn::GetAtt': [eip, 'PublicIp'] });
    }
    expect(egress?.publicIps.map(ref)).toEqual(eips.map((eip) => ({ 'Fn::GetAtt': [eip, 'PublicIp'] })));
  });

  it('logs all VPC traffic to CloudWatch Logs with the configured retention', () => {
    // Prepare
    const { template } = full;

    // Act
    const flowLogs = template.findResources('AWS::EC2::FlowLog');

    // Assess
    expect(Object.values(flowLogs)).toHaveLength(1);
    expect(Object.values(flowLogs)[0]?.Properties).toMatchObject({
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 2); // the function's and the flow logs'
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('runs the function in the private subnets behind a security group that allows only outbound 443', () => {
    // Prepare
    const { template, stack, ref } = full;
    const vpc = stack.staticEgress?.vpc;

    // Act
    const privateSubnets = vpc?.privateSubnets.map((subnet) => ref(subnet.subnetId));
    const groups = template.findResources('AWS::EC2::SecurityGroup');

    // Assess
    expect(privateSubnets).toHaveLength(2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: privateSubnets,
        SecurityGroupIds: [{ 'Fn::GetAtt': [Object.keys(groups)[0], 'GroupId'] }],
      },
    });
    expect(Object.values(groups)).toHaveLength(1);
    expect(Object.values(groups)[0]?.Properties.SecurityGroupIngress).toBeUndefined();
    expect(Object.values(groups)[0]?.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });

  it('lets the function manage its network interfaces, inline', () => {
    // Prepare
    const { template } = full;

    // Act
    const role = template.findResources('AWS::IAM::Role', {
      Properties: {
        Policies: Match.arrayWith([Match.objectLike({ PolicyName: 'ManageVpcNetworkInterfaces' })]),
      },
    });

    // Assess
    expect(Object.keys(role)).toHaveLength(1);
  });

  it('allows 1 or 2 Elastic IPs only', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Egress');

    // Act + Assess
    expect(() => new StaticEgress(stack, 'Zero', { elasticIps: 0 })).toThrow(
      /elasticIps must be an integer from 1 to 2/,
    );
    expect(() => new StaticEgress(stack, 'Three', { elasticIps: 3 })).toThrow(/got 3/);
    expect(() => new StaticEgress(stack, 'Half', { elasticIps: 1.5 })).toThrow(/got 1.5/);
  });
});

describe('alarm topic', () => {
  it('emails the alarms through a topic encrypted with a key CloudWatch may use, publishing over TLS only', () => {
    // Prepare
    const { template, stack, ref } = full;
    const alarmTopic = stack.alarmTopic;

    // Act
    const topicArn = ref(alarmTopic?.topic.topicArn);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: ref(alarmTopic?.key.keyArn) });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topicArn,
    });
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
  });

  it('is absent without an alarm email', () => {
    // Act + Assess
    plain.template.resourceCountIs('AWS::SNS::Topic', 0);
    plain.template.resourceCountIs('AWS::KMS::Key', 0);
  });
});

describe('cdk-nag', () => {
  it('passes AwsSolutions with every option on (static egress, alarm topic, scoped inventory)', () => {
    // Prepare
    const app = testApp();
    new AtlasOpsStack(app, 'Full', {
      atlasSecretNameOrArn: 'atlas/prod',
      staticEgressIps: 1,
      alarmEmail: 'ops@example.com',
      inventoryOrgIds: ['5f1a2b3c4d5e6f7a8b9c0d1e'],
    });
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });
});
