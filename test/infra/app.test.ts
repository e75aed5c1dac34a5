import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { atlasOpsPropsFromContext, InvalidContextError } from '../../infra/atlas-ops-stack.ts';
import { CONTEXT_KEYS } from '../../infra/context.ts';

const run = promisify(execFile);
const APP = fileURLToPath(new URL('../../infra/app.ts', import.meta.url));

/**
 * Runs `node infra/app.ts` as the CDK CLI would: context and output directory through the environment, and
 * `env` on top (an undefined value unsets the variable). The built-in CloudFormation validation (warnings
 * only, and part of `npm run synth`) is off for speed.
 */
async function runApp(
  context: Record<string, unknown>,
  outdir: string,
  env: Record<string, string | undefined> = {},
) {
  try {
    const { stdout, stderr } = await run(process.execPath, [APP], {
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_OUTDIR: outdir,
        CDK_VALIDATION: 'false',
        ...env,
      },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

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
      /^unknown context key "bucketName"; the known keys are atlasSecret, inventorySchedule, /,
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

describe('infra/app.ts', () => {
  const outdirs: string[] = [];
  const outdir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-ops-app-'));
    outdirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(outdirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('stops before synth with one line naming the bad context key', async () => {
    // Prepare
    const dir = await outdir();

    // Act
    const result = await runApp({ staticEgressIps: '-1' }, dir);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Invalid context 'staticEgressIps': .*got -1$/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('stops before synth on an upper-case organization id, naming inventoryOrgIds', async () => {
    // Prepare
    const dir = await outdir();

    // Act
    const result = await runApp({ inventoryOrgIds: '5F1A2B3C4D5E6F7A8B9C0D1E' }, dir);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^Invalid context 'inventoryOrgIds': "5F1A2B3C4D5E6F7A8B9C0D1E" is not a 24-hex-digit Atlas id \(lowercase/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('stops before synth on a misspelt key, naming the key it meant', async () => {
    // Prepare
    const dir = await outdir();

    // Act: `cdk synth -c atlasSecert=atlas/prod` would otherwise create a new secret to fill in.
    const result = await runApp({ atlasSecert: 'atlas/prod' }, dir);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('unknown context key "atlasSecert"; did you mean "atlasSecret"?');
    expect(await readdir(dir)).toEqual([]);
  });

  it('stays environment-agnostic, whatever account and region the CLI gives (a deployed VPC keeps its zones)', async () => {
    // Prepare: no bundling, the environment is all this reads.
    const context = { 'aws:cdk:bundling-stacks': [] };
    const dir = await outdir();

    // Act
    const result = await runApp(context, dir, {
      CDK_DEFAULT_ACCOUNT: '123456789012',
      CDK_DEFAULT_REGION: 'eu-west-1',
    });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(manifest.artifacts.AtlasOps.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('synthesises with cdk-nag and bundles each handler as minified ESM with the require banner, map and SDK', async () => {
    // Prepare
    const dir = await outdir();
    const bundleOf = async (template: { Resources: Record<string, unknown> }, logicalIdPrefix: string) => {
      const entry = Object.entries(
        template.Resources as Record<string, { Type: string; Properties: { Code: { S3Key: string } } }>,
      ).find(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.startsWith(logicalIdPrefix));
      // The staged asset directory is named after the hash the function's S3 key carries.
      const assetDir = join(dir, `asset.${entry?.[1].Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      return {
        files: (await readdir(assetDir)).sort(),
        code: await readFile(join(assetDir, 'index.mjs'), 'utf8'),
      };
    };

    // Act
    const result = await runApp({ staticEgressIps: '1', alarmEmail: 'ops@example.com' }, dir);
    const template = JSON.parse(await readFile(join(dir, 'AtlasOps.template.json'), 'utf8'));
    const inventory = await bundleOf(template, 'InventoryFunction');
    const provisioner = await bundleOf(template, 'ProvisioningFunction');
    const accessListSync = await bundleOf(template, 'AccessListSyncFunction');
    const notifier = await bundleOf(template, 'NotifierFunction');

    // Assess
    expect(result.code, result.stderr).toBe(0);
    for (const bundle of [inventory, provisioner, accessListSync, notifier]) {
      expect(bundle.files).toEqual(['index.mjs', 'index.mjs.map']);
      expect(
        bundle.code.startsWith(
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        ),
      ).toBe(true);
      expect(bundle.code).toMatch(/\bexport\s*\{/); // ESM output
      expect(bundle.code.length / bundle.code.split('\n').length).toBeGreaterThan(1000); // minified: long lines
      expect(bundle.code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    }
    expect(inventory.code).toContain('AmazonS3'); // the pinned @aws-sdk/client-s3 is inside, not the runtime's
    expect(inventory.code).not.toBe(provisioner.code);
    // The notifier never calls Atlas: its bundle carries no Atlas client (dated media types, Digest auth).
    expect(provisioner.code).toContain('application/vnd.atlas.');
    expect(notifier.code).not.toContain('application/vnd.atlas.');
  });
});
