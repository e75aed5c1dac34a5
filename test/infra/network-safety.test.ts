/**
 * The stack's network-safety settings: the context keys checked at synth (a bad value names its key), their
 * values in the environments of the provisioner and the access-list sync as the workers' own loaders read
 * them back, and the alarm on removals.
 */
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { loadAccessListSyncConfig } from '../../functions/access-list-sync/env.ts';
import { loadProvisionerConfig } from '../../functions/provisioner/env.ts';
import { AtlasOpsStack, atlasOpsPropsFromContext, InvalidContextError } from '../../infra/atlas-ops-stack.ts';
import { AccessListSync } from '../../infra/constructs/access-list-sync.ts';
import { AtlasCredentials } from '../../infra/constructs/atlas-credentials.ts';
import { testApp } from '../support/cdk.ts';
import { resolveIntrinsics, type TemplateJson } from '../support/cloudformation-values.ts';

/** The stack from `context` (as `-c key=value` gives it), and a function's environment as Lambda sees it. */
function deployedFrom(context: Record<string, unknown>) {
  const app = testApp(context);
  const stack = new AtlasOpsStack(app, 'AtlasOps', atlasOpsPropsFromContext(app.node));
  const template = Template.fromStack(stack);
  const json = template.toJSON() as TemplateJson & {
    Resources: Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
  };
  const environmentOf = (fn: IConstruct) => {
    const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
    return resolveIntrinsics(json, json.Resources[logicalId]?.Properties.Environment.Variables) as Record<
      string,
      string
    >;
  };
  const provisioning = stack.provisioning;
  const sync = stack.accessListSync;
  if (!provisioning || !sync) throw new Error('the stack has no provisioning worker or sync');
  return {
    stack,
    template,
    provisioner: environmentOf(provisioning.function),
    sync: environmentOf(sync.function),
  };
}

const readContext = (context: Record<string, unknown>) => () =>
  atlasOpsPropsFromContext(testApp(context).node);

describe('the network-safety context keys', () => {
  it('reach the provisioner and the sync, as their loaders read them back', () => {
    // Act
    const { provisioner, sync } = deployedFrom({
      protectedAddresses: '203.0.113.10, 198.51.100.0/24',
      accessListSyncAllowWideNetworks: 'true',
      accessListMaxDeletions: '3',
      accessListMaxRemovalShare: '0.25',
    });

    // Assess
    expect(loadProvisionerConfig(provisioner).protectedAddresses).toEqual([
      '203.0.113.10',
      '198.51.100.0/24',
    ]);
    expect(loadAccessListSyncConfig(sync).limits).toEqual({
      maxDeletions: 3,
      maxRemovalShare: 0.25,
      protectedAddresses: ['203.0.113.10', '198.51.100.0/24'],
      allowWideNetworks: true,
    });
  });

  it('takes protectedAddresses as a JSON array (cdk.json), and adds the static egress addresses for the provisioner', () => {
    // Act
    const { stack, provisioner, sync } = deployedFrom({
      protectedAddresses: ['::ffff:203.0.113.10'],
      staticEgressIps: 1,
    });
    const egress = stack.staticEgress?.publicIps.map((ip) =>
      resolveIntrinsics(Template.fromStack(stack).toJSON() as TemplateJson, stack.resolve(ip)),
    );

    // Assess: the sync gets the static egress addresses apart, as STATIC_EGRESS_IPS
    expect(egress).toHaveLength(1);
    expect(loadProvisionerConfig(provisioner).protectedAddresses).toEqual([
      ...(egress ?? []),
      '::ffff:203.0.113.10',
    ]);
    expect(loadAccessListSyncConfig(sync).limits.protectedAddresses).toEqual(['::ffff:203.0.113.10']);
    expect(loadAccessListSyncConfig(sync).staticEgressIps).toEqual(egress);
  });

  it('leaves the defaults: no wide networks, 10 removals, half a list, nothing protected', () => {
    // Act
    const { provisioner, sync } = deployedFrom({});

    // Assess
    expect(provisioner.PROTECTED_ADDRESSES).toBeUndefined();
    expect(loadProvisionerConfig(provisioner).protectedAddresses).toEqual([]);
    expect(loadAccessListSyncConfig(sync).limits).toEqual({
      maxDeletions: 10,
      maxRemovalShare: 0.5,
      protectedAddresses: [],
      allowWideNetworks: false,
    });
  });

  it.each([
    ['protectedAddresses', '203.0.113.10,not-an-ip', /"not-an-ip" is not an IP address or a CIDR block/],
    ['protectedAddresses', ['10.0.0.0/33'], /"10\.0\.0\.0\/33" is not an IP address or a CIDR block/],
    ['protectedAddresses', 42, /expected comma-separated addresses/],
    ['accessListSyncAllowWideNetworks', 'yes', /expected true or false/],
    ['accessListMaxDeletions', '-1', /expected 0 to 10000 removals per list and run, got -1/],
    ['accessListMaxDeletions', 'ten', /expected a whole number, got "ten"/],
    ['accessListMaxRemovalShare', '1.5', /expected a share from 0 to 1 .*got 1\.5/],
    ['accessListMaxRemovalShare', 'half', /expected a number, got "half"/],
    ['accessListRemovalAlarmThreshold', '0', /expected 1 to 10000 entries removed within 5 minutes, got 0/],
  ])('rejects %s=%j, naming the key', (key, value, message) => {
    // Act
    const read = readContext({ [key]: value });

    // Assess
    expect(read).toThrow(InvalidContextError);
    expect(read).toThrow(`Invalid context '${key}'`);
    expect(read).toThrow(message);
  });
});

describe('the removals alarm', () => {
  it('fires on 10 entries removed within 5 minutes by default, from the sync’s EntriesRemoved', () => {
    // Act
    const { stack, template } = deployedFrom({ alarmEmail: 'ops@example.com' });

    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'EntriesRemoved',
      Namespace: 'AtlasOps',
      Dimensions: [{ Name: 'service', Value: 'atlas-ops-access-list-sync' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [stack.resolve(stack.alarmTopic?.topic.topicArn)],
    });
    expect(stack.accessListSync?.alarms).toContain(stack.accessListSync?.removalsAlarm);
  });

  it('takes its threshold from accessListRemovalAlarmThreshold', () => {
    // Act
    const { template } = deployedFrom({ accessListRemovalAlarmThreshold: '25' });

    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'EntriesRemoved', Threshold: 25 });
  });
});

describe('AccessListSync props', () => {
  const construct = (props: Partial<ConstructorParameters<typeof AccessListSync>[2]>) => () => {
    const stack = new Stack(testApp(), 'Props');
    new AccessListSync(stack, 'Sync', {
      credentials: new AtlasCredentials(stack, 'Credentials', {}),
      bucket: new Bucket(stack, 'Bucket', { versioned: true }),
      ...props,
    });
  };

  it.each([
    [{ maxRemovalShare: 2 }, 'AccessListSync: maxRemovalShare must be a number from 0 to 1, got 2'],
    [{ maxDeletions: 1.5 }, 'AccessListSync: maxDeletions must be an integer from 0 to 10000, got 1.5'],
    [
      { removalAlarmThreshold: 0 },
      'AccessListSync: removalAlarmThreshold must be an integer from 1 to 10000, got 0',
    ],
    [
      { protectedAddresses: ['nope'] },
      'AccessListSync: protectedAddresses must hold IP addresses and CIDR blocks, got "nope"',
    ],
  ])('refuses %j, saying why', (props, message) => {
    expect(construct(props)).toThrow(message);
  });
});
