import { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { AtlasOpsStack, atlasOpsPropsFromContext } from '../../infra/atlas-ops-stack.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { testApp } from '../support/cdk.ts';

describe('AtlasOpsStack', () => {
  it('creates a credentials secret to fill in when none is given', () => {
    // Prepare
    const app = testApp();

    // Act
    const stack = new AtlasOpsStack(app, 'Test');

    // Assess
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('uses an existing secret by name or ARN and creates none', () => {
    // Prepare
    const app = testApp();
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas/prod-AbCdEf';

    // Act
    const byName = new AtlasOpsStack(app, 'ByName', { atlasSecretNameOrArn: 'atlas/prod' });
    const byArn = new AtlasOpsStack(app, 'ByArn', { atlasSecretNameOrArn: arn });

    // Assess
    Template.fromStack(byName).resourceCountIs('AWS::SecretsManager::Secret', 0);
    Template.fromStack(byArn).resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(byArn.resolve(byArn.credentials.secret.secretArn)).toBe(arn);
  });

  it('keeps the logical ids of the deployed workers (a new id replaces the resource, or orphans a retained one)', () => {
    // Prepare
    const stack = new AtlasOpsStack(testApp(), 'AtlasOps', {
      provisioning: {},
      staticEgressIps: 1,
      alarmEmail: 'ops@example.com',
    });

    // Act
    const workerIds = Object.keys(Template.fromStack(stack).toJSON().Resources)
      .filter((id) => /^(Inventory|Provisioning)/.test(id))
      .sort();

    // Assess
    expect(workerIds).toEqual([
      'InventoryAccessLogsBucket11D0F773',
      'InventoryAccessLogsBucketPolicyF54266B2',
      'InventoryDeadLetterAlarm122F08BB',
      'InventoryDurationNearTimeoutAlarmE54480F0',
      'InventoryFunctionAC7B2BEA',
      'InventoryFunctionErrorsAlarm61B8D42B',
      'InventoryFunctionEventInvokeConfig8F93B02C',
      'InventoryLogGroup5A29C3BE',
      'InventoryRoleDefaultPolicy05FF74AF',
      'InventoryRoleEB42B24B',
      'InventorySchedule6E6D9000',
      'InventoryScheduleDeadLetterQueue8D8C2D61',
      'InventoryScheduleDeadLetterQueuePolicy82012A25',
      'InventoryScheduleDeliveryAlarm8F2B7213',
      'InventoryScheduleGroup230FC1A1',
      'InventoryScheduleRole8A703748',
      'InventoryScheduleRoleDefaultPolicyCF3A595D',
      'InventorySecurityGroup0F6BB7A3',
      'InventorySnapshotBucketCB4DF166',
      'InventorySnapshotBucketPolicy7D03666A',
      'ProvisioningDeadLetterAlarm24926F81',
      'ProvisioningDeadLetterQueueBB8735FB',
      'ProvisioningDeadLetterQueuePolicyA2E7E4C9',
      'ProvisioningFunctionB9114B5D',
      'ProvisioningFunctionErrorsAlarmBC18810E',
      'ProvisioningFunctionSqsEventSourceAtlasOpsProvisioningQueueD582CE97BE775A93',
      'ProvisioningGrantSchedulesScheduleGroupB87E47CC',
      'ProvisioningGrantSchedulesSchedulerRoleC759110D',
      'ProvisioningGrantSchedulesSchedulerRoleDefaultPolicyBFB7E698',
      'ProvisioningLogGroup478FBC16',
      'ProvisioningOldestMessageAlarmF7562007',
      'ProvisioningOperationsTable6207B2DA',
      'ProvisioningQueue304165FB',
      'ProvisioningQueuePolicyF0E434C4',
      'ProvisioningRoleD74B5848',
      'ProvisioningRoleDefaultPolicy4EED51FF',
      'ProvisioningSecurityGroup6E2094C3',
    ]);
  });

  it('names every output plainly, as docs and scripts look them up (no construct path, no hash)', () => {
    // Prepare: every worker, both Elastic IPs.
    const stack = new AtlasOpsStack(testApp(), 'AtlasOps', {
      provisioning: {},
      accessListSync: {},
      staticEgressIps: 2,
      alarmEmail: 'ops@example.com',
    });

    // Act
    const names = Object.keys(Template.fromStack(stack).toJSON().Outputs).sort();

    // Assess
    expect(names).toEqual([
      'AccessListSyncFunctionName',
      'AccessListSyncMode',
      'AtlasSecretArn',
      'DashboardName',
      'DesiredStateUri',
      'ElasticIp1Address',
      'ElasticIp2Address',
      'GrantsScheduleGroupName',
      'InventoryFunctionName',
      'InventoryScheduleName',
      'NotifierDeadLetterQueueUrl',
      'NotifierSecretArn',
      'OperationsTableName',
      'ProvisioningDeadLetterQueueUrl',
      'ProvisioningFunctionName',
      'ProvisioningQueueUrl',
      'SnapshotBucketName',
      'WebhookIntakeSecretArn',
      'WebhookIntakeUrl',
    ]);
  });

  it('synthesises with cdk-nag AwsSolutions and no unacknowledged finding', () => {
    // Prepare
    const app = testApp();
    new AtlasOpsStack(app, 'Test');
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('fails the synth on a finding nobody acknowledged (the check is live)', () => {
    // Prepare
    const app = testApp();
    const stack = new AtlasOpsStack(app, 'Test');
    new Secret(stack, 'UnrotatedSecret');
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-SMG4/);
  });

  it('traces every worker with X-Ray by default, and none with `-c tracing=false`, cdk-nag clean both ways', () => {
    for (const [context, traced] of [
      [{}, true],
      [{ tracing: 'false' }, false],
    ] as const) {
      // Prepare
      const app = testApp(context);
      const stack = new AtlasOpsStack(app, 'Test', {
        ...atlasOpsPropsFromContext(app.node),
        provisioning: {},
        accessListSync: {},
        staticEgressIps: 1,
      });
      addNagChecks(app);

      // Act
      const template = Template.fromStack(stack);
      const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
        (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
      );
      const xrayActions = JSON.stringify(template.findResources('AWS::IAM::Policy')).match(/xray:/g) ?? [];

      // Assess: the function's tracing mode and what the kit reads agree, and so does the role.
      expect(functions).toHaveLength(5);
      for (const fn of functions) {
        expect(fn.Properties.TracingConfig?.Mode ?? 'PassThrough').toBe(traced ? 'Active' : 'PassThrough');
        expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe(String(traced));
      }
      expect(xrayActions.length > 0).toBe(traced);
      expect(() => app.synth()).not.toThrow();
    }
  });
});
