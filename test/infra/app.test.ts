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

const run = promisify(execFile);
const APP = fileURLToPath(new URL('../../infra/app.ts', import.meta.url));

/**
 * Runs `node infra/app.ts` as the CDK CLI would: context and output directory through the environment.
 * The built-in CloudFormation validation (warnings only, and part of `npm run synth`) is off for speed.
 */
async function runApp(context: Record<string, unknown>, outdir: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [APP], {
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_OUTDIR: outdir,
        CDK_VALIDATION: 'false',
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
