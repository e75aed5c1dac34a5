import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { atlasOpsPropsFromContext, InvalidContextError } from '../../infra/atlas-ops-stack.ts';
import { CONTEXT_KEYS } from '../../infra/context.ts';

const contextOf = (context: Record<string, unknown>) => atlasOpsPropsFromContext(new App({ context }).node);

describe('atlasOpsPropsFromContext', () => {
  it('reads every key as the CLI passes it (strings)', () => {
    // Act
    const props = contextOf({
      atlasSecret: 'atlas/prod',
      inventorySchedule: 'rate(12 hours)',
      inventoryOrgIds: '5f1a2b3c4d5e6f7a8b9c0d1e',
      inventoryProjectIds: '0123456789abcdef01234567, 89abcdef0123456789abcdef',
      alarmEmail: 'ops@example.com',
      staticEgressIps: '2',
      logRetentionDays: '30',
      provisioningEnabled: 'true',
      provisioningMaxConcurrency: '20',
      accessListSyncEnabled: 'true',
      accessListSyncSchedule: 'rate(30 minutes)',
      accessListSyncMode: 'apply',
    });

    // Assess
    expect(props).toEqual({
      atlasSecretNameOrArn: 'atlas/prod',
      inventorySchedule: 'rate(12 hours)',
      inventoryOrgIds: ['5f1a2b3c4d5e6f7a8b9c0d1e'],
      inventoryProjectIds: ['0123456789abcdef01234567', '89abcdef0123456789abcdef'],
      alarmEmail: 'ops@example.com',
      staticEgressIps: 2,
      logRetention: RetentionDays.ONE_MONTH,
      provisioning: { maxConcurrency: 20 },
      accessListSync: { schedule: 'rate(30 minutes)', mode: 'apply' },
    });
  });

  it('reads cdk.json values (numbers, arrays) and treats absent, empty and 0 as the defaults', () => {
    // Act
    const fromJson = contextOf({
      staticEgressIps: 1,
      logRetentionDays: 365,
      inventoryOrgIds: ['5f1a2b3c4d5e6f7a8b9c0d1e'],
      provisioningEnabled: false,
      accessListSyncEnabled: false,
    });
    const empty = contextOf({ atlasSecret: '', staticEgressIps: '0', inventoryProjectIds: '' });

    // Assess
    expect(fromJson).toEqual({
      staticEgressIps: 1,
      logRetention: RetentionDays.ONE_YEAR,
      inventoryOrgIds: ['5f1a2b3c4d5e6f7a8b9c0d1e'],
    });
    // The provisioning worker and the access-list sync (in plan mode) are on by default.
    expect(empty).toEqual({ provisioning: {}, accessListSync: {} });
  });

  it.each([
    ['staticEgressIps', '-1', /0 \(off\) to 2 Elastic IPs.*got -1/],
    ['staticEgressIps', '3', /got 3/],
    ['staticEgressIps', 'two', /expected a whole number, got "two"/],
    ['logRetentionDays', '42', /does not offer 42 days/],
    ['inventorySchedule', 'rate(1 hours)', /Invalid schedule 'rate\(1 hours\)'/],
    ['inventorySchedule', 'rate(1 minute)', /shorter than the 5 minutes function timeout/],
    ['inventoryOrgIds', '5f1a2b3c4d5e6f7a8b9c0d1e,not-an-id', /"not-an-id" is not a 24-hex-digit Atlas id/],
    // The workers accept lowercase ids only (Atlas's own pattern): an upper-case one would fail every cold start.
    ['inventoryOrgIds', '5F1A2B3C4D5E6F7A8B9C0D1E', /"5F1A2B3C4D5E6F7A8B9C0D1E" is not .*lowercase/],
    ['inventoryProjectIds', ['0123456789ABCDEF01234567'], /"0123456789ABCDEF01234567" is not .*lowercase/],
    ['inventoryProjectIds', 42, /expected comma-separated ids/],
    ['alarmEmail', 'ops-at-example.com', /is not an email address/],
    ['atlasSecret', 7, /expected a string/],
    ['accessListSyncMode', 'yes', /expected plan or apply, got "yes"/],
    ['accessListSyncSchedule', 'rate(2 minutes)', /shorter than the 5 minutes function timeout/],
    ['accessListSyncEnabled', 'maybe', /expected true or false/],
  ])('rejects %s=%s, naming the key', (key, value, message) => {
    // Act
    const read = () => contextOf({ [key]: value });

    // Assess
    expect(read).toThrow(InvalidContextError);
    expect(read).toThrow(`Invalid context '${key}'`);
    expect(read).toThrow(message);
  });

  it.each([
    ['atlasSecert', 'atlasSecret'], // two letters swapped
    ['AlarmEmail', 'alarmEmail'], // case
    ['webhookSender', 'webhookSenders'], // a letter missing
    ['staticEgressIP', 'staticEgressIps'],
    ['provisioningMaxConcurency', 'provisioningMaxConcurrency'],
    ['notiferSecret', 'notifierSecret'],
  ])('rejects the unknown key %s, naming the nearest known key %s', (key, nearest) => {
    // Act: the key would otherwise be ignored, and the setting left at its default.
    const read = () => contextOf({ [key]: 'x' });

    // Assess
    expect(read).toThrow(InvalidContextError);
    expect(read).toThrow(new RegExp(`^unknown context key "${key}"; did you mean "${nearest}"\\?$`));
  });

  it('rejects a key near no known key, listing the known keys', () => {
    // Act
    const read = () => contextOf({ bucketName: 'my-bucket', atlasSecret: 'atlas/prod' });

    // Assess
    expect(read).toThrow(InvalidContextError);
    expect(read).toThrow(
      /^unknown context key "bucketName"; the known keys are atlasSecret, inventoryAtlasSecret, /,
    );
    expect(read).toThrow(/callbackUrls \(docs\/deploy\.md says what each does\)$/);
  });

  it("leaves the CDK's own context alone: feature flags, the CLI's keys and cached lookups", () => {
    // Act: what `cdk synth` passes every app, what `cdk acknowledge` and `cdk cli-telemetry` write into
    // cdk.json, and a lookup cached in cdk.context.json.
    const props = contextOf({
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      'aws:cdk:version-reporting': true,
      'aws:cdk:bundling-stacks': ['**'],
      'aws-cdk:enableDiffNoFail': 'true',
      'acknowledged-issue-numbers': [32775],
      'cli-telemetry': false,
      'cdk-migrate': true,
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a', 'eu-west-1b'],
      atlasSecret: 'atlas/prod',
    });

    // Assess
    expect(props).toEqual({ atlasSecretNameOrArn: 'atlas/prod', provisioning: {}, accessListSync: {} });
  });

  it('accepts every key docs/deploy.md lists, empty (the default)', () => {
    for (const key of Object.keys(CONTEXT_KEYS)) {
      // Act
      const read = () => contextOf({ [key]: '' });

      // Assess
      expect(read, key).not.toThrow();
    }
  });
});
