import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { loadWebhookIntakeConfig, webhookIntakeEnvSchema } from '../../functions/webhook-intake/env.ts';
import {
  AtlasOpsStack,
  type AtlasOpsStackProps,
  atlasOpsPropsFromContext,
  InvalidContextError,
} from '../../infra/atlas-ops-stack.ts';
import { AtlasCredentials } from '../../infra/constructs/atlas-credentials.ts';
import { ProvisioningWorker } from '../../infra/constructs/provisioning-worker.ts';
import { WebhookIntake, type WebhookIntakeProps } from '../../infra/constructs/webhook-intake.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { roleStatements, testApp } from '../support/cdk.ts';
import { resolveIntrinsics, type TemplateJson } from '../support/cloudformation-values.ts';

const WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-ops/webhooks-AbCdEf';

function atlasOps(props: AtlasOpsStackProps, id = 'AtlasOps') {
  // The notifier (test/infra/notifier.test.ts) adds a queue pair, a secret and a function: left out here.
  const stack = new AtlasOpsStack(testApp(), id, { notifier: false, ...props });
  const intake = stack.webhookIntake;
  if (!intake) throw new Error('the stack has no webhook intake');
  return {
    stack,
    intake,
    template: Template.fromStack(stack),
    ref: (value: unknown) => stack.resolve(value),
  };
}

/** Constructs the intake beside a provisioning worker with `props` and returns what it threw (or undefined). */
function errorOf(props: Partial<WebhookIntakeProps>): string | undefined {
  const stack = new Stack(testApp(), 'Invalid');
  const provisioning = new ProvisioningWorker(stack, 'Provisioning', {
    credentials: new AtlasCredentials(stack, 'Credentials'),
  });
  try {
    new WebhookIntake(stack, 'WebhookIntake', {
      queue: provisioning.queue,
      table: provisioning.table,
      ...props,
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

// Built once: most tests only read them.
const plain = atlasOps({ provisioning: {} });
const full = atlasOps(
  {
    provisioning: {},
    webhookIntake: { secretNameOrArn: WEBHOOK_SECRET_ARN },
    alarmEmail: 'ops@example.com',
    logRetention: RetentionDays.ONE_MONTH,
  },
  'Full',
);

describe('WebhookIntake API', () => {
  it('routes ANY /webhooks/{source} (verified in the function) and GET /operations/{id} (IAM) to the function', () => {
    // Prepare
    const { template } = plain;

    // Act
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);

    // Assess
    expect(routes).toHaveLength(2);
    expect(routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ RouteKey: 'ANY /webhooks/{source}', AuthorizationType: 'NONE' }),
        expect.objectContaining({ RouteKey: 'GET /operations/{id}', AuthorizationType: 'AWS_IAM' }),
      ]),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
  });

  it('throttles the $default stage (50 requests/s, bursts of 100) and deploys it automatically', () => {
    // Act + Assess
    plain.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('writes JSON access logs to its own retained log group, with no header or body in them', () => {
    // Prepare
    const { template, intake, ref } = plain;

    // Act
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties;
    const format = JSON.parse(stage?.AccessLogSettings.Format);

    // Assess
    expect(stage?.AccessLogSettings.DestinationArn).toEqual(ref(intake.accessLogGroup.logGroupArn));
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      caller: '$context.identity.userArn',
    });
    expect(JSON.stringify(format)).not.toMatch(/header|body|authorization|signature/i);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets only this API invoke the function', () => {
    // Prepare
    const { template, intake, ref } = plain;

    // Act
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(ref(intake.function.functionArn)),
    );

    // Assess
    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(ref(intake.api.apiId).Ref);
    }
  });
});

describe('WebhookIntake function', () => {
  it('runs the intake handler on nodejs24.x arm64 with X-Ray, 10 s and 256 MB, outside any VPC', () => {
    // Prepare
    const { template, intake, ref } = atlasOps({ provisioning: {}, staticEgressIps: 1 }, 'WithEgress');

    // Act
    const fn = template.findResources('AWS::Lambda::Function')[ref(intake.function.functionName).Ref];

    // Assess
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 10,
      MemorySize: 256,
      TracingConfig: { Mode: 'Active' },
    });
    // It never calls Atlas, so it needs no static egress address.
    expect(fn?.Properties.VpcConfig).toBeUndefined();
  });

  it('gets exactly the documented environment, and no Atlas credentials', () => {
    // Prepare
    const { template, intake, stack, ref } = plain;

    // Act
    const fn = template.findResources('AWS::Lambda::Function')[ref(intake.function.functionName).Ref];
    const variables = fn?.Properties.Environment.Variables;

    // Assess
    expect(variables).toEqual({
      WEBHOOK_SECRET_ID: ref(intake.secret.secretArn),
      QUEUE_URL: ref(stack.provisioning?.queue.queueUrl),
      OPERATIONS_TABLE: ref(stack.provisioning?.table.tableName),
      STATUS_TTL_DAYS: '30',
      WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: '300',
      POWERTOOLS_SERVICE_NAME: 'atlas-ops-webhook-intake',
      POWERTOOLS_METRICS_NAMESPACE: 'AtlasOps',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACE_ENABLED: 'true',
    });
  });

  it('is given a synthesized environment its own loader accepts (the deployed values, resolved)', () => {
    // Prepare
    const { stack, intake } = plain;
    const template = Template.fromStack(stack).toJSON() as TemplateJson & {
      Resources: Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
    };
    const concrete = (value: unknown) => resolveIntrinsics(template, stack.resolve(value));
    const logicalId = Stack.of(intake.function).getLogicalId(intake.function.node.defaultChild as CfnElement);
    const environment = resolveIntrinsics(
      template,
      template.Resources[logicalId]?.Properties.Environment.Variables,
    ) as Record<string, string>;

    // Act
    const config = loadWebhookIntakeConfig(environment);

    // Assess
    expect(config).toMatchObject({
      secretId: concrete(intake.secret.secretArn),
      queueUrl: concrete(stack.provisioning?.queue.queueUrl),
      table: concrete(stack.provisioning?.table.tableName),
      statusTtlDays: 30,
      // A day longer than the records a replay could otherwise run again beside.
      deliveryTtlHours: 31 * 24,
      toleranceSeconds: 300,
      senders: {},
    });
    expect(config.queueUrl).toMatch(
      /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/AtlasOps-Provisioning/,
    );
    const runtime = [
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_TRACE_ENABLED',
      'NODE_OPTIONS',
    ];
    for (const name of Object.keys(environment)) {
      expect([...Object.keys(webhookIntakeEnvSchema.shape), ...runtime]).toContain(name);
    }
  });

  it('passes rule overrides and sender policies as JSON, and refuses at synth what the function would refuse at cold start', () => {
    // Prepare
    const rules = { jira: { approver: 'body.user.accountId' } };
    const senders = { jira: { scope: ['OPS'], approvers: ['5b10a2844c20165700ede31a'] } };

    // Act
    const stack = new Stack(testApp(), 'Rules');
    const provisioning = new ProvisioningWorker(stack, 'Provisioning', {
      credentials: new AtlasCredentials(stack, 'Credentials'),
    });
    const intake = new WebhookIntake(stack, 'WebhookIntake', {
      queue: provisioning.queue,
      table: provisioning.table,
      rules,
      senders,
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Environment: {
        Variables: Match.objectLike({
          WEBHOOK_RULES: JSON.stringify(rules),
          WEBHOOK_SENDERS: JSON.stringify(senders),
        }),
      },
    });
    expect(intake.function).toBeDefined();
    expect(errorOf({ rules: { jira: { scope: 'body.[' } } })).toMatch(/jira\.scope is not valid JMESPath/);
    expect(errorOf({ senders: { jira: { scope: ['ops'], approvers: ['x'] } } })).toMatch(
      /senders: jira\.scope\.0: must be a Jira project key/,
    );
  });

  it.each([
    [{ timeout: Duration.seconds(30) }, 'timeout must be from 1 second to 29 seconds'],
    [{ throttleRateLimit: 0 }, 'throttleRateLimit must be an integer from 1 to 10000, got 0'],
    [{ refusedAlarmThreshold: 1.5 }, 'refusedAlarmThreshold must be an integer'],
  ])('refuses %j', (props, message) => {
    // Act + Assess
    expect(errorOf(props)).toContain(message);
  });
});

describe('WebhookIntake permissions', () => {
  it('sends only to the provisioning queue, reads only its own secret, writes only its delivery items and its request records', () => {
    // Prepare
    const { template, intake, stack, ref } = plain;
    const table = ref(stack.provisioning?.table.tableArn);

    // Act
    const statements = roleStatements(template, ref(intake.role.roleName));

    // Assess
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: ref(intake.secret.secretArn),
      },
      {
        Sid: 'SendToProvisioningQueue',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: ref(stack.provisioning?.queue.queueArn),
      },
      { Sid: 'ReadOperationRecords', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table },
      {
        Sid: 'ClaimAndReleaseDeliveries',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: table,
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['webhook-delivery#*', 'webhook-signed#*'] },
        },
      },
      {
        // An operation's status record (its bare id) or an idempotency record is no key the intake may write.
        Sid: 'RecordRequests',
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: table,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['request#*'] } },
      },
    ]);
    expect(JSON.stringify(statements)).not.toContain(JSON.stringify(ref(stack.credentials.secret.secretArn)));
  });

  it('with the notifier, may also send to its outcomes queue (a refused request is told to its ticket), and is told where it is', () => {
    // Prepare
    const stack = new AtlasOpsStack(testApp(), 'WithNotifier', { provisioning: {} });
    const template = Template.fromStack(stack);
    const intake = stack.webhookIntake;
    const outcomes = stack.notifier?.queue;

    // Act
    const statements = roleStatements(template, stack.resolve(intake?.role.roleName));
    const fn =
      template.findResources('AWS::Lambda::Function')[stack.resolve(intake?.function.functionName).Ref];

    // Assess
    expect(statements).toContainEqual({
      Sid: 'TellRefusalsToOutcomesQueue',
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: stack.resolve(outcomes?.queueArn),
    });
    expect(fn?.Properties.Environment.Variables.OUTCOMES_QUEUE_URL).toEqual(
      stack.resolve(outcomes?.queueUrl),
    );
  });

  it('creates a webhook secret holding a random ServiceNow token, retained; or uses the one given', () => {
    // Prepare
    const { template, intake, ref } = plain;

    // Act
    const created = template.findResources('AWS::SecretsManager::Secret')[ref(intake.secret.secretArn).Ref];
    const given = full.template.findResources('AWS::SecretsManager::Secret');

    // Assess
    expect(created?.Properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: '{}',
      GenerateStringKey: 'servicenow',
      PasswordLength: 48,
      ExcludePunctuation: true,
    });
    expect(created?.DeletionPolicy).toBe('Retain');
    expect(Object.keys(given)).toHaveLength(1); // only the Atlas credentials secret
    expect(full.ref(full.intake.secret.secretArn)).toBe(WEBHOOK_SECRET_ARN);
  });
});

describe('WebhookIntake alarms and outputs', () => {
  it('alarms on 5xx answers, on 5 refused deliveries in 5 minutes and on function errors, notifying the topic', () => {
    // Prepare
    const { template, intake, ref, stack } = full;

    // Act
    const all = template.findResources('AWS::CloudWatch::Alarm');
    const alarms = intake.alarms.map((alarm) => all[ref(alarm.alarmName).Ref]?.Properties);

    // Assess
    const topic = ref(stack.alarmTopic?.topic.topicArn);
    expect(alarms).toEqual([
      expect.objectContaining({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: ref(intake.api.apiId) }],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [topic],
      }),
      expect.objectContaining({
        Namespace: 'AtlasOps',
        MetricName: 'DeliveriesRefused',
        Dimensions: [{ Name: 'service', Value: 'atlas-ops-webhook-intake' }],
        Statistic: 'Sum',
        Threshold: 5,
        AlarmActions: [topic],
      }),
      expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: 'Errors', AlarmActions: [topic] }),
    ]);
  });

  it('outputs the API URL and the secret to fill in', () => {
    // Prepare
    const { template, intake, ref } = plain;

    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
    const url = outputs.WebhookIntakeUrl;
    const secret = outputs.WebhookIntakeSecretArn;

    // Assess
    expect(url?.Value).toEqual(ref(intake.api.apiEndpoint));
    expect(url?.Description).toMatch(/\/webhooks\/\{jira\|github\|zendesk\|servicenow\|standard\}/);
    expect(secret?.Value).toEqual(ref(intake.secret.secretArn));
  });
});

describe('the webhook intake in the stack', () => {
  it('is deployed with the provisioning worker, not without it, and not when switched off', () => {
    // Act
    const without = new AtlasOpsStack(testApp(), 'NoProvisioning');
    const off = new AtlasOpsStack(testApp(), 'Off', { provisioning: {}, webhookIntake: false });

    // Assess
    expect(plain.stack.webhookIntake).toBeDefined();
    expect(without.webhookIntake).toBeUndefined();
    expect(off.webhookIntake).toBeUndefined();
    Template.fromStack(off).resourceCountIs('AWS::ApiGatewayV2::Api', 0);
  });

  it('reads webhooksEnabled and webhookSecret from the context', () => {
    // Act
    const read = (context: Record<string, unknown>) => atlasOpsPropsFromContext(new App({ context }).node);

    // Assess
    expect(read({}).webhookIntake).toBeUndefined();
    expect(read({ webhooksEnabled: 'false' }).webhookIntake).toBe(false);
    expect(read({ webhooksEnabled: false, webhookSecret: 'x' }).webhookIntake).toBe(false);
    expect(read({ webhookSecret: 'atlas-ops/webhooks' }).webhookIntake).toEqual({
      secretNameOrArn: 'atlas-ops/webhooks',
    });
    expect(() => read({ webhooksEnabled: 'sometimes' })).toThrow(InvalidContextError);
    expect(() => read({ webhooksEnabled: 'sometimes' })).toThrow(/webhooksEnabled.*expected true or false/);
  });

  it('reads webhookSenders from the context as JSON, and refuses one the intake would refuse, naming the field', () => {
    // Prepare
    const read = (context: Record<string, unknown>) => atlasOpsPropsFromContext(new App({ context }).node);
    const senders = { github: { scope: ['acme/platform-requests'], approvers: ['octo-approver'] } };

    // Act + Assess
    expect(read({ webhookSenders: JSON.stringify(senders) }).webhookIntake).toEqual({ senders });
    expect(read({ webhookSenders: senders, webhookSecret: 's' }).webhookIntake).toEqual({
      senders,
      secretNameOrArn: 's',
    });
    expect(() => read({ webhookSenders: '{"github": {"scope": "*", "aprovers": "*"}}' })).toThrow(
      /webhookSenders.*github\.aprovers: is not a field/,
    );
  });

  it('passes the operation policy as JSON, and fails the synth on a policy the intake would refuse, naming the field', () => {
    // Prepare
    const policy = { rules: [{ sources: '*', risks: ['additive'], projects: ['8f7be0277c2a1f1a7767b3ee'] }] };

    // Act
    const { template } = atlasOps({ provisioning: {}, webhookIntake: { policy } }, 'WithPolicy');

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OPERATION_POLICY: JSON.stringify(policy) }) },
    });
    expect(
      errorOf({ policy: { rules: [{ sources: '*', types: ['projectAccessList.ad'], projects: '*' }] } }),
    ).toMatch(
      /policy: rules\.0\.types\.0 "projectAccessList\.ad" is not an operation type; did you mean projectAccessList\.add\?/,
    );
    expect(errorOf({ policy: { rules: [{ sources: '*', risks: ['read'], projects: ['nope'] }] } })).toMatch(
      /rules\.0\.projects\.0 must be a 24-hex-digit Atlas id/,
    );
    expect(errorOf({ policy: { rules: [], extra: true } })).toMatch(/extra is not a field of the policy/);
  });

  it('reads the policy from context, as JSON or from a file, and refuses a bad one naming the key and the field', async () => {
    // Prepare
    const read = (context: Record<string, unknown>) => atlasOpsPropsFromContext(new App({ context }).node);
    const policy = { rules: [{ sources: '*', risks: ['read'], projects: '*' }] };
    const dir = await mkdtemp(join(tmpdir(), 'atlas-ops-policy-'));
    const file = join(dir, 'policy.json');
    await writeFile(file, JSON.stringify(policy));
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ rules: [{ sources: '*', risks: ['reed'], projects: '*' }] }));

    // Act + Assess
    expect(read({ policy: JSON.stringify(policy) }).webhookIntake).toEqual({ policy });
    expect(read({ policyFile: file }).webhookIntake).toEqual({ policy });
    expect(() => read({ policyFile: typo })).toThrow(
      /policyFile.*rules\.0\.risks\.0 must be one of read, additive/,
    );
    expect(() => read({ policy: '{"rules": [{"sources": "*"}]}' })).toThrow(/Invalid context 'policy'/);
    expect(() => read({ policy: JSON.stringify(policy), policyFile: file })).toThrow(/not both/);
    expect(() => read({ policyFile: join(dir, 'missing.json') })).toThrow(/policyFile.*cannot read/);
  });

  it('warns at synth when no operation policy is configured: the intake refuses every request', () => {
    // Act
    const { stack } = atlasOps({ provisioning: {} }, 'NoPolicy');
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp('No operation policy'),
    );

    // Assess
    expect(warnings).toHaveLength(1);
  });

  it('fails the synth when the environment would exceed Lambda’s 4 KB, naming the largest variables', () => {
    // Prepare: three JSON settings of 1.9 KB each
    const padding = 'x'.repeat(1_800);
    const rules = { jira: { ref: `'${padding}'` } };
    const senders = {
      standard: { scope: '*', approvers: [padding.slice(0, 256), ...Array(6).fill(padding.slice(0, 250))] },
    };
    const policy = {
      rules: [
        { name: 'p', sources: '*', risks: ['read'], projects: Array(70).fill('8f7be0277c2a1f1a7767b3ee') },
      ],
    };

    // Act
    const error = errorOf({ rules, senders, policy });

    // Assess
    expect(error).toMatch(/the environment takes about \d+ bytes, more than Lambda's 4096 \(largest: /);
  });

  it('synthesises with cdk-nag AwsSolutions and no unacknowledged finding, for a created and a given secret', () => {
    // Prepare
    const app = testApp();
    new AtlasOpsStack(app, 'Created', { provisioning: {}, alarmEmail: 'ops@example.com' });
    new AtlasOpsStack(app, 'ByName', {
      provisioning: {},
      webhookIntake: { secretNameOrArn: 'atlas-ops/webhooks' },
    });
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });
});
