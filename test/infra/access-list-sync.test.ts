import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { AtlasOpsStack, type AtlasOpsStackProps } from '../../infra/atlas-ops-stack.ts';
import { AccessListSync } from '../../infra/constructs/access-list-sync.ts';
import { AtlasCredentials } from '../../infra/constructs/atlas-credentials.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { testApp } from '../support/cdk.ts';

function atlasOps(props: AtlasOpsStackProps = { accessListSync: {} }) {
  const stack = new AtlasOpsStack(testApp(), 'Test', props);
  const sync = stack.accessListSync;
  if (props.accessListSync && !sync) throw new Error('the stack has no access-list sync');
  return { stack, sync, template: Template.fromStack(stack), ref: (value: unknown) => stack.resolve(value) };
}

const plain = atlasOps();
const full = atlasOps({
  accessListSync: { mode: 'apply', schedule: 'rate(30 minutes)' },
  staticEgressIps: 2,
  alarmEmail: 'ops@example.com',
});

/** The properties of the access-list sync's function. */
function syncFunction(built: ReturnType<typeof atlasOps>) {
  const id = built.ref(built.sync?.function.functionArn) as { 'Fn::GetAtt': [string, string] };
  const resource = built.template.toJSON().Resources[id['Fn::GetAtt'][0]];
  return resource as { Properties: Record<string, unknown> };
}

describe('AccessListSync function', () => {
  it('runs one at a time (reserved concurrency 1) on nodejs24.x arm64, retried twice by Lambda', () => {
    // Act
    const fn = syncFunction(plain);

    // Assess
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: 300,
      MemorySize: 256,
      ReservedConcurrentExecutions: 1,
    });
    plain.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: plain.ref(plain.sync?.function.functionName),
      MaximumRetryAttempts: 2,
    });
  });

  it('gets exactly the documented environment: plan mode by default, no egress addresses without static egress', () => {
    // Act
    const variables = (syncFunction(plain).Properties.Environment as { Variables: unknown }).Variables;

    // Assess
    expect(variables).toEqual({
      ATLAS_SECRET_ID: plain.ref(plain.stack.credentials.secret.secretArn),
      ACCESS_LIST_BUCKET: plain.ref(plain.stack.inventory.bucket.bucketName),
      DESIRED_STATE_KEY: 'access-list/desired-state.json',
      MANAGED_ENTRIES_KEY: 'access-list/managed-entries.json',
      REPORT_PREFIX: 'access-list/reports/',
      SYNC_MODE: 'plan',
      POWERTOOLS_SERVICE_NAME: 'atlas-ops-access-list-sync',
      POWERTOOLS_METRICS_NAMESPACE: 'AtlasOps',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACE_ENABLED: 'true',
    });
  });

  it('passes apply mode and the static egress addresses, and runs in the VPC', () => {
    // Act
    const properties = syncFunction(full).Properties;
    const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(variables.SYNC_MODE).toBe('apply');
    expect(variables.STATIC_EGRESS_IPS).toEqual({
      'Fn::Join': [',', full.stack.staticEgress?.publicIps.map((ip) => full.ref(ip))],
    });
    expect(properties.VpcConfig).toBeDefined();
  });

  it('is started by a change to the desired-state object, and by nothing else in the bucket', () => {
    // Act
    const notifications = plain.template.findResources('Custom::S3BucketNotifications');

    // Assess
    expect(Object.values(notifications)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          BucketName: plain.ref(plain.stack.inventory.bucket.bucketName),
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [
              {
                Events: ['s3:ObjectCreated:*'],
                Filter: {
                  Key: { FilterRules: [{ Name: 'prefix', Value: 'access-list/desired-state.json' }] },
                },
                LambdaFunctionArn: plain.ref(plain.sync?.function.functionArn),
              },
            ],
          },
        }),
      }),
    ]);
    plain.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      FunctionName: plain.ref(plain.sync?.function.functionArn),
      SourceArn: plain.ref(plain.stack.inventory.bucket.bucketArn),
    });
  });

  it('runs every hour by default, or on the schedule given', () => {
    // Act
    const schedules = (built: ReturnType<typeof atlasOps>) =>
      Object.values(built.template.findResources('AWS::Scheduler::Schedule')).map(
        (s) => s.Properties.ScheduleExpression,
      );

    // Assess
    expect(schedules(plain)).toContain('rate(1 hour)');
    expect(schedules(full)).toContain('rate(30 minutes)');
  });

  it('may read the desired state, read and write its record, write reports, and nothing else in the bucket', () => {
    // Prepare
    const bucketArn = plain.ref(plain.stack.inventory.bucket.bucketArn);
    const under = (key: string) => ({ 'Fn::Join': ['', [bucketArn, `/${key}`]] });
    const roleName = plain.ref(plain.sync?.role.roleName);

    // Act
    const policies = Object.values(plain.template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(roleName)),
    );
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);

    // Assess
    expect(statements.filter((s: { Sid?: string }) => s.Sid)).toEqual([
      {
        Sid: 'ReadDesiredState',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: under('access-list/desired-state.json'),
      },
      {
        Sid: 'ReadWriteManagedEntries',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: under('access-list/managed-entries.json'),
      },
      {
        Sid: 'WriteReports',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: under('access-list/reports/*'),
      },
      {
        Sid: 'ListAccessListPrefix',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['access-list/*'] } },
      },
    ]);
    expect(JSON.stringify(statements)).not.toContain('inventory/');
  });

  it('expires its dated reports, never the desired state, the record or latest.json', () => {
    // Act
    const rules = plain.template.toJSON().Resources[
      (plain.ref(plain.stack.inventory.bucket.bucketName) as { Ref: string }).Ref
    ].Properties.LifecycleConfiguration.Rules as { Id: string; Prefix?: string; ExpirationInDays?: number }[];

    // Assess
    expect(rules.find((r) => r.Id === 'expire-access-list-reports')).toMatchObject({
      Prefix: 'access-list/reports/20',
      ExpirationInDays: 365,
    });
    expect(rules.filter((r) => r.Prefix?.startsWith('access-list/')).map((r) => r.Prefix)).toEqual([
      'access-list/reports/20',
    ]);
  });

  it('alarms when a run has changes refused by a guard or failed, and notifies the alarm topic', () => {
    // Act
    const alarm = full.template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmDescription: Match.stringLikeRegexp('refused by a guard or failed') },
    });

    // Assess
    const [properties] = Object.values(alarm).map((a) => a.Properties);
    expect(properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [full.ref(full.stack.alarmTopic?.topic.topicArn)],
    });
    const metrics = (properties.Metrics as { MetricStat?: { Metric: unknown; Stat: string } }[])
      .filter((m) => m.MetricStat)
      .map((m) => [m.MetricStat?.Metric, m.MetricStat?.Stat]);
    expect(metrics).toEqual([
      [
        {
          Namespace: 'AtlasOps',
          MetricName: 'ChangesRefused',
          Dimensions: [{ Name: 'service', Value: 'atlas-ops-access-list-sync' }],
        },
        'Sum',
      ],
      [
        {
          Namespace: 'AtlasOps',
          MetricName: 'ChangesFailed',
          Dimensions: [{ Name: 'service', Value: 'atlas-ops-access-list-sync' }],
        },
        'Sum',
      ],
    ]);
    expect(full.sync?.alarms).toContain(full.sync?.changesAlarm);
  });

  it('outputs where to put the desired state', () => {
    // Act
    const outputs = plain.template.findOutputs('*', {
      Description: Match.stringLikeRegexp('Upload the access-list desired state here'),
    });

    // Assess: under the name the docs give it.
    expect(Object.keys(outputs)).toEqual(['DesiredStateUri']);
    expect(Object.values(outputs).map((o) => o.Value)).toEqual([
      {
        'Fn::Join': [
          '',
          ['s3://', plain.ref(plain.stack.inventory.bucket.bucketName), '/access-list/desired-state.json'],
        ],
      },
    ]);
  });

  it('leaves the logical ids of the inventory resources as they were', () => {
    // Prepare
    const ids = (built: ReturnType<typeof atlasOps>) =>
      Object.keys(built.template.toJSON().Resources).filter((id) => id.startsWith('Inventory'));

    // Act
    const without = ids(atlasOps({}));
    const withSync = ids(plain);

    // Assess
    expect(withSync).toEqual(expect.arrayContaining(without));
  });

  it('is absent when the stack is not given its settings', () => {
    expect(atlasOps({}).stack.accessListSync).toBeUndefined();
  });
});

describe('AccessListSync props', () => {
  const credentialsIn = (stack: Stack) => new AtlasCredentials(stack, 'Credentials');

  it('refuses a bucket that is not versioned: the desired state must stay recoverable', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Unversioned');
    const bucket = new Bucket(stack, 'Bucket');

    // Act
    const build = () => new AccessListSync(stack, 'Sync', { credentials: credentialsIn(stack), bucket });

    // Assess
    expect(build).toThrow(/must be versioned/);
  });

  it('refuses a schedule that fires more often than a run may last', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Overlap');
    const bucket = new Bucket(stack, 'Bucket', { versioned: true });

    // Act
    const build = () =>
      new AccessListSync(stack, 'Sync', {
        credentials: credentialsIn(stack),
        bucket,
        schedule: 'rate(5 minutes)',
        timeout: Duration.minutes(10),
      });

    // Assess
    expect(build).toThrow(/runs could overlap/);
  });

  it('refuses an unknown mode', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Mode');
    const bucket = new Bucket(stack, 'Bucket', { versioned: true });

    // Act
    const build = () =>
      new AccessListSync(stack, 'Sync', {
        credentials: credentialsIn(stack),
        bucket,
        mode: 'yolo' as 'plan',
      });

    // Assess
    expect(build).toThrow(/mode must be plan or apply/);
  });
});

describe('cdk-nag', () => {
  it('passes AwsSolutions with the sync and every option on', () => {
    // Prepare
    const app = testApp();
    new AtlasOpsStack(app, 'Full', {
      accessListSync: { mode: 'apply' },
      provisioning: {},
      staticEgressIps: 1,
      alarmEmail: 'ops@example.com',
    });
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });
});
