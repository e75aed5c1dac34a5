import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import {
  AtlasOpsStack,
  type AtlasOpsStackProps,
  atlasOpsPropsFromContext,
  InvalidContextError,
} from '../../infra/atlas-ops-stack.ts';
import { AtlasCredentials } from '../../infra/constructs/atlas-credentials.ts';
import {
  ProvisioningWorker,
  type ProvisioningWorkerProps,
} from '../../infra/constructs/provisioning-worker.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { roleStatements, testApp } from '../support/cdk.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas/prod-AbCdEf';

function atlasOps(props: AtlasOpsStackProps) {
  // The notifier (test/infra/notifier.test.ts) adds a queue pair, a secret and a function: left out here.
  const stack = new AtlasOpsStack(testApp(), 'Test', { notifier: false, ...props });
  const worker = stack.provisioning;
  if (!worker) throw new Error('the stack has no provisioning worker');
  return {
    stack,
    worker,
    template: Template.fromStack(stack),
    ref: (value: unknown) => stack.resolve(value),
  };
}

/** A stack with only the worker (and the secret it reads), for props the stack does not pass. */
function standalone(props: Omit<ProvisioningWorkerProps, 'credentials'> = {}, id = 'Standalone') {
  const stack = new Stack(testApp(), id);
  const credentials = new AtlasCredentials(stack, 'Credentials', { secretNameOrArn: SECRET_ARN });
  const worker = new ProvisioningWorker(stack, 'Provisioning', { credentials, ...props });
  return {
    stack,
    worker,
    template: Template.fromStack(stack),
    ref: (value: unknown) => stack.resolve(value),
  };
}

/** Constructs the worker with `props` and returns what it threw (or undefined). */
function errorOf(props: Omit<ProvisioningWorkerProps, 'credentials'>): string | undefined {
  const stack = new Stack(testApp(), 'Invalid');
  try {
    new ProvisioningWorker(stack, 'Provisioning', {
      credentials: new AtlasCredentials(stack, 'Credentials'),
      ...props,
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

// Built once: most tests only read them.
const plain = atlasOps({ provisioning: {} });
const full = atlasOps({
  provisioning: { maxConcurrency: 20 },
  atlasSecretNameOrArn: SECRET_ARN,
  staticEgressIps: 1,
  alarmEmail: 'ops@example.com',
  logRetention: RetentionDays.ONE_MONTH,
});

describe('ProvisioningWorker queues', () => {
  it('encrypts the queue with SSE-SQS, keeps messages 4 days and redrives after 6 receives', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { RedrivePolicy: Match.anyValue() },
    });

    // Assess
    expect(Object.keys(queues)).toEqual([ref(worker.queue.queueUrl).Ref]);
    expect(Object.values(queues)[0]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 4 * 24 * 3600,
      VisibilityTimeout: 360, // 6 × the 60 s function timeout
      RedrivePolicy: { deadLetterTargetArn: ref(worker.deadLetterQueue.queueArn), maxReceiveCount: 6 },
    });
  });

  it('keeps dead letters 14 days (1209600 s), encrypted, with no redrive of their own', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const dlq = template.findResources('AWS::SQS::Queue')[ref(worker.deadLetterQueue.queueUrl).Ref];

    // Assess
    expect(dlq?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    expect(dlq?.Properties.RedrivePolicy).toBeUndefined();
    expect(dlq?.Properties.KmsMasterKeyId).toBeUndefined();
  });

  it('refuses plain HTTP on both queues', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act + Assess
    for (const queue of [worker.queue, worker.deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue.queueUrl)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: ref(queue.queueArn),
            }),
          ]),
        },
      });
    }
  });

  it('sets the visibility timeout to 6 × the function timeout plus the batching window', () => {
    // Act
    const twoMinutes = standalone({ timeout: Duration.minutes(2), maxReceiveCount: 5 }, 'TwoMinutes');
    const windowed = standalone(
      { timeout: Duration.seconds(30), maxBatchingWindow: Duration.seconds(20), batchSize: 100 },
      'Windowed',
    );
    const longer = standalone({ visibilityTimeout: Duration.minutes(30) }, 'Longer');

    // Assess
    twoMinutes.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 720,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    twoMinutes.template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 120 });
    windowed.template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 200 });
    windowed.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
    });
    longer.template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 1800 });
    expect(twoMinutes.worker.visibilityTimeout.toSeconds()).toBe(720);
  });

  it('refuses a visibility timeout shorter than 6 × the function timeout, saying why', () => {
    // Act
    const message = errorOf({ timeout: Duration.minutes(2), visibilityTimeout: Duration.minutes(10) });

    // Assess
    expect(message).toBe(
      'ProvisioningWorker: visibilityTimeout 10 minutes is shorter than 6 × the 2 minutes function timeout ' +
        '(12 minutes); a batch could be delivered again while it is still running',
    );
  });

  it('refuses receives that would outlast the queue retention (messages would expire, not dead-letter)', () => {
    // Act
    const message = errorOf({ timeout: Duration.minutes(15), maxReceiveCount: 100 });

    // Assess
    expect(message).toMatch(
      /^ProvisioningWorker: maxReceiveCount 100 × visibilityTimeout 1 hour 30 minutes \(6 days 6 hours\) is not shorter than the queue's 4 days retention/,
    );
    expect(errorOf({ timeout: Duration.minutes(15), maxReceiveCount: 60 })).toBeUndefined(); // 90 h < 96 h
  });

  it.each([
    [{ maxReceiveCount: 4 }, 'maxReceiveCount must be an integer from 5 to 1000, got 4'],
    [{ maxReceiveCount: 1001 }, 'got 1001'],
    [{ maxConcurrency: 1 }, 'maxConcurrency must be an integer from 2 to 1000, got 1'],
    [{ maxConcurrency: 1001 }, 'got 1001'],
    [{ maxConcurrency: 2.5 }, 'got 2.5'],
    [{ batchSize: 11 }, 'batchSize must be an integer from 1 to 10, got 11'],
    [{ batchSize: 0 }, 'got 0'],
    [{ statusTtlDays: 0 }, 'statusTtlDays must be an integer from 1 to 3650, got 0'],
    [{ memorySize: 64 }, 'memorySize must be an integer from 128 to 10240, got 64'],
    [{ timeout: Duration.minutes(16) }, 'timeout must be from 1 second to 15 minutes, got 16 minutes'],
    [{ maxBatchingWindow: Duration.minutes(6) }, 'maxBatchingWindow must be at most 5 minutes'],
    [{ visibilityTimeout: Duration.hours(13) }, 'exceeds the SQS maximum of 12 hours'],
    [{ oldestMessageAlarmAge: Duration.seconds(30) }, 'oldestMessageAlarmAge must be at least 1 minute'],
  ] as const)('refuses %o with a clear error', (props, message) => {
    // Act
    const error = errorOf(props);

    // Assess
    expect(error).toMatch(/^ProvisioningWorker: /);
    expect(error).toContain(message);
  });
});

describe('ProvisioningWorker event source', () => {
  it('reports batch item failures and bounds concurrency with the event source maximum (default 5)', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping');

    // Assess
    expect(Object.values(mappings)).toHaveLength(1);
    expect(Object.values(mappings)[0]?.Properties).toEqual({
      EventSourceArn: ref(worker.queue.queueArn),
      FunctionName: ref(worker.function.functionName),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
      Tags: expect.any(Array),
    });
  });

  it('takes the maximum concurrency from the stack props, and no reserved concurrency', () => {
    // Prepare
    const { template } = full;

    // Act + Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.allResourcesProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  it('honours batchSize and maxConcurrency props', () => {
    // Act
    const { template } = standalone({ batchSize: 1, maxConcurrency: 2 });

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('ProvisioningWorker operations table', () => {
  it('keys on id (S), bills on demand, recovers to a point in time, expires through expiresAt, encrypts and is retained', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const tables = template.findResources('AWS::DynamoDB::Table');

    // Assess
    expect(Object.keys(tables)).toEqual([ref(worker.table.tableName).Ref]);
    expect(Object.values(tables)[0]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
    expect(Object.values(tables)[0]?.Properties.SSESpecification.KMSMasterKeyId).toBeUndefined();
    expect(Object.values(tables)[0]?.Properties.ProvisionedThroughput).toBeUndefined();
  });
});

describe('ProvisioningWorker function', () => {
  it('runs the provisioner handler on nodejs24.x, arm64, with X-Ray tracing, 60 s and 512 MB by default', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const fn = template.findResources('AWS::Lambda::Function')[ref(worker.function.functionName).Ref];

    // Assess
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Timeout: 60,
      MemorySize: 512,
      Role: ref(worker.role.roleArn),
      LoggingConfig: { LogGroup: ref(worker.logGroup.logGroupName) },
    });
    expect(fn?.Properties.VpcConfig).toBeUndefined();
    expect(fn?.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('logs to its own log group, retained, three months by default', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const group = template.findResources('AWS::Logs::LogGroup')[ref(worker.logGroup.logGroupName).Ref];

    // Assess
    expect(group).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
  });

  it('gets exactly the documented environment', () => {
    // Prepare
    const { template, stack, worker, ref } = plain;

    // Act
    const expected = {
      ATLAS_SECRET_ID: ref(stack.credentials.secret.secretArn),
      OPERATIONS_TABLE: ref(worker.table.tableName),
      QUEUE_URL: ref(worker.queue.queueUrl),
      DEAD_LETTER_QUEUE_URL: ref(worker.deadLetterQueue.queueUrl),
      MAX_RECEIVE_COUNT: '6',
      STATUS_TTL_DAYS: '30',
      // Where temporary grants schedule their end (infra/constructs/grant-schedules.ts).
      GRANTS_SCHEDULE_GROUP: stack.resolve(worker.grantSchedules.scheduleGroup.scheduleGroupName),
      QUEUE_ARN: ref(worker.queue.queueArn),
      GRANTS_SCHEDULER_ROLE_ARN: ref(worker.grantSchedules.schedulerRole.roleArn),
      POWERTOOLS_SERVICE_NAME: 'atlas-ops-provisioner',
      POWERTOOLS_METRICS_NAMESPACE: 'AtlasOps',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACE_ENABLED: 'true',
    };

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectEquals(expected) },
    });
  });

  it('passes the secret ARN, receive count, status TTL, timeout, memory and log retention from its props', () => {
    // Act
    const { template } = standalone(
      {
        maxReceiveCount: 8,
        statusTtlDays: 90,
        timeout: Duration.seconds(90),
        memorySize: 1024,
        logRetention: RetentionDays.ONE_WEEK,
      },
      'Props',
    );

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 90,
      MemorySize: 1024,
      Environment: {
        Variables: Match.objectLike({
          ATLAS_SECRET_ID: SECRET_ARN,
          MAX_RECEIVE_COUNT: '8',
          STATUS_TTL_DAYS: '90',
        }),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 540,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 8 }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('runs in the private subnets behind its own security group that allows only outbound 443', () => {
    // Prepare
    const { template, stack, worker, ref } = full;
    const privateSubnets = stack.staticEgress?.vpc.privateSubnets.map((subnet) => ref(subnet.subnetId));

    // Act
    const fn = template.findResources('AWS::Lambda::Function')[ref(worker.function.functionName).Ref];
    const groupId = fn?.Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0];
    const group = template.findResources('AWS::EC2::SecurityGroup')[groupId];

    // Assess
    expect(fn?.Properties.VpcConfig.SubnetIds).toEqual(privateSubnets);
    expect(groupId).toMatch(/^Provisioning/);
    expect(group?.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group?.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    expect(
      template.findResources('AWS::Logs::LogGroup')[ref(worker.logGroup.logGroupName).Ref]?.Properties,
    ).toMatchObject({ RetentionInDays: 30 });
  });
});

describe('ProvisioningWorker permissions', () => {
  it('has no managed policies and writes only to its own log group', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const role = template.findResources('AWS::IAM::Role')[ref(worker.role.roleName).Ref];

    // Assess
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
    expect(role?.Properties.Policies).toEqual([
      {
        PolicyName: 'WriteOwnLogs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: ref(worker.logGroup.logGroupArn),
            },
          ],
        },
      },
    ]);
  });

  it('reads the one secret, consumes its queue, sends only to its DLQ, reads and writes only items of its table', () => {
    // Prepare
    const { template, stack, worker, ref } = plain;

    // Act
    const statements = roleStatements(template, ref(worker.role.roleName));

    // Assess
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: ref(stack.credentials.secret.secretArn),
        },
        {
          Effect: 'Allow',
          Action: [
            'sqs:ReceiveMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueUrl',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
          ],
          Resource: ref(worker.queue.queueArn),
        },
        {
          Sid: 'DeadLetterOwnQueue',
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: ref(worker.deadLetterQueue.queueArn),
        },
        {
          Sid: 'ReadOperationRecords',
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: ref(worker.table.tableArn),
        },
        {
          // Never the intake's requests and deliveries, never the notifier's ledger.
          Sid: 'WriteOperationRecords',
          Effect: 'Allow',
          Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Resource: ref(worker.table.tableArn),
          Condition: {
            'ForAllValues:StringNotLike': {
              'dynamodb:LeadingKeys': ['request#*', 'webhook-delivery#*', 'webhook-signed#*', 'notified#*'],
            },
          },
        },
      ]),
    );
    // The temporary grants' schedules and generated passwords, each in its own place only.
    const { scheduleGroup, schedulerRole } = worker.grantSchedules;
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Sid: 'ScheduleTheEndsOfGrants',
          Effect: 'Allow',
          Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':scheduler:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                `:schedule/${stack.resolve(scheduleGroup.scheduleGroupName)}/*`,
              ],
            ],
          },
        },
        {
          Sid: 'PassTheSchedulerRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: ref(schedulerRole.roleArn),
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
        expect.objectContaining({
          Sid: 'KeepGeneratedPasswords',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':secretsmanager:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':secret:atlas-ops/database-users/*',
              ],
            ],
          },
        }),
      ]),
    );
    expect(statements).toHaveLength(9);
  });

  it('grants nothing else: no Scan/Query, no KMS, no other queue, "*" only where no resource-level permission exists', () => {
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
    const statements = [plain, full].flatMap(({ template, worker, ref }) => {
      const role = template.findResources('AWS::IAM::Role')[ref(worker.role.roleName).Ref];
      return [
        ...roleStatements(template, ref(worker.role.roleName)),
        ...(role?.Properties.Policies ?? []).flatMap(
          (policy: { PolicyDocument: { Statement: unknown[] } }) => policy.PolicyDocument.Statement,
        ),
      ] as { Action: string | string[]; Resource: unknown }[];
    });
    const actions = statements.flatMap((statement) => [statement.Action].flat());

    // Assess
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      for (const action of [statement.Action].flat()) expect(allowedOnStar).toContain(action);
    }
    expect(actions.filter((action) => /^kms:|Scan|Query|BatchWriteItem/.test(action))).toEqual([]);
    expect(actions.filter((action) => action.includes('*') && action !== 'sqs:*')).toEqual([]);
    expect(actions.filter((action) => action.startsWith('ec2:'))).toHaveLength(6); // the VPC stack's role only
  });

  it('reads an existing secret by its ARN in the VPC stack, with the network interface permissions inline', () => {
    // Prepare
    const { template, worker, ref } = full;

    // Act
    const role = template.findResources('AWS::IAM::Role')[ref(worker.role.roleName).Ref];
    const statements = roleStatements(template, ref(worker.role.roleName));

    // Assess
    expect(role?.Properties.Policies.map((policy: { PolicyName: string }) => policy.PolicyName)).toEqual([
      'WriteOwnLogs',
      'ManageVpcNetworkInterfaces',
    ]);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: SECRET_ARN,
    });
  });
});

describe('ProvisioningWorker alarms', () => {
  const common = {
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    EvaluationPeriods: 1,
    Period: 300,
    TreatMissingData: 'notBreaching',
  };

  it('alarms on a dead letter, a message waiting 15 minutes and any function error, without actions by default', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const all = template.findResources('AWS::CloudWatch::Alarm');
    const alarms = worker.alarms.map((alarm) => all[ref(alarm.alarmName).Ref]?.Properties);

    // Assess: the function's errors first, as every worker's (WorkerFunction), then the queue's.
    expect(alarms).toEqual([
      expect.objectContaining({
        ...common,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: ref(worker.function.functionName) }],
        Statistic: 'Sum',
        Threshold: 1,
      }),
      expect.objectContaining({
        ...common,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: ref(worker.deadLetterQueue.queueName) }],
        Statistic: 'Maximum',
        Threshold: 1,
      }),
      expect.objectContaining({
        ...common,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: ref(worker.queue.queueName) }],
        Statistic: 'Maximum',
        Threshold: 900,
      }),
    ]);
    for (const alarm of alarms) expect(alarm?.AlarmActions).toBeUndefined();
  });

  it('takes the oldest-message age from its props and notifies the topic from every alarm', () => {
    // Prepare
    const stack = new Stack(testApp(), 'WithTopic');
    const topic = new Topic(stack, 'Topic');

    // Act
    new ProvisioningWorker(stack, 'Provisioning', {
      credentials: new AtlasCredentials(stack, 'Credentials'),
      alarmTopic: topic,
      oldestMessageAlarmAge: Duration.hours(1),
    });
    const template = Template.fromStack(stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    // Assess
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms)
      expect(alarm.Properties.AlarmActions).toEqual([stack.resolve(topic.topicArn)]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 3600,
    });
  });

  it('wires its alarms to the stack alarm topic', () => {
    // Prepare
    const { template, stack, worker, ref } = full;
    const topicArn = ref(stack.alarmTopic?.topic.topicArn);

    // Act
    const alarms = worker.alarms.map(
      (alarm) => template.findResources('AWS::CloudWatch::Alarm')[ref(alarm.alarmName).Ref],
    );

    // Assess
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) expect(alarm?.Properties.AlarmActions).toEqual([topicArn]);
  });
});

describe('ProvisioningWorker outputs', () => {
  it('outputs the queue URL, dead-letter queue URL, table name and function name', () => {
    // Prepare
    const { template, worker, ref } = plain;

    // Act
    const outputs = Object.values(template.findOutputs('*')).map((output) => output.Value);

    // Assess
    expect(outputs).toEqual(
      expect.arrayContaining([
        ref(worker.queue.queueUrl),
        ref(worker.deadLetterQueue.queueUrl),
        ref(worker.table.tableName),
        ref(worker.function.functionName),
      ]),
    );
  });
});

describe('AtlasOpsStack with provisioning', () => {
  it('exposes the queue and the table for later workers, after the inventory', () => {
    // Prepare
    const { stack, worker } = plain;

    // Act
    const children = stack.node.children.map((child) => child.node.id);

    // Assess
    expect(stack.provisioningQueue).toBe(worker.queue);
    expect(stack.operationsTable).toBe(worker.table);
    expect(children.indexOf('Provisioning')).toBeGreaterThan(children.indexOf('Inventory'));
  });

  it('has no provisioning worker when the props leave it out', () => {
    // Act
    const stack = new AtlasOpsStack(testApp(), 'Without');

    // Assess
    expect(stack.provisioning).toBeUndefined();
    expect(stack.provisioningQueue).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 0);
  });

  it('passes cdk-nag AwsSolutions with every option on', () => {
    // Prepare
    const app = testApp();
    new AtlasOpsStack(app, 'Full', {
      provisioning: { maxConcurrency: 50 },
      atlasSecretNameOrArn: 'atlas/prod',
      staticEgressIps: 1,
      alarmEmail: 'ops@example.com',
    });
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('passes cdk-nag AwsSolutions with the defaults', () => {
    // Prepare
    const app = testApp();
    new AtlasOpsStack(app, 'Defaults', { provisioning: {} });
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });
});

describe('provisioning context', () => {
  const contextOf = (context: Record<string, unknown>) => atlasOpsPropsFromContext(new App({ context }).node);

  it('deploys the worker by default, with its default concurrency', () => {
    // Act + Assess
    expect(contextOf({}).provisioning).toEqual({});
    expect(contextOf({ provisioningEnabled: '' }).provisioning).toEqual({});
  });

  it('reads provisioningEnabled and provisioningMaxConcurrency from the CLI (strings) and cdk.json (typed)', () => {
    // Act + Assess
    expect(contextOf({ provisioningMaxConcurrency: '20' }).provisioning).toEqual({ maxConcurrency: 20 });
    expect(contextOf({ provisioningMaxConcurrency: 1000, provisioningEnabled: true }).provisioning).toEqual({
      maxConcurrency: 1000,
    });
    expect(contextOf({ provisioningEnabled: 'false' }).provisioning).toBeUndefined();
    expect(contextOf({ provisioningEnabled: false }).provisioning).toBeUndefined();
    expect(contextOf({ provisioningEnabled: ' TRUE ' }).provisioning).toEqual({});
  });

  it.each([
    ['provisioningEnabled', 'yes', /expected true or false, got "yes"/],
    ['provisioningEnabled', 1, /expected true or false, got 1/],
    ['provisioningMaxConcurrency', '1', /expected 2 to 1000 concurrent invocations .*got 1$/],
    ['provisioningMaxConcurrency', 1001, /got 1001$/],
    ['provisioningMaxConcurrency', 'five', /expected a whole number, got "five"/],
    ['provisioningMaxConcurrency', '2.5', /expected a whole number, got "2.5"/],
  ])('rejects %s=%s, naming the key', (key, value, message) => {
    // Act
    const read = () => contextOf({ [key]: value });

    // Assess
    expect(read).toThrow(InvalidContextError);
    expect(read).toThrow(`Invalid context '${key}'`);
    expect(read).toThrow(message);
  });

  it('checks the concurrency even while the worker is switched off', () => {
    // Act
    const read = () => contextOf({ provisioningEnabled: 'false', provisioningMaxConcurrency: '0' });

    // Assess
    expect(read).toThrow(`Invalid context 'provisioningMaxConcurrency'`);
  });
});
