/**
 * `node infra/app.ts` as the CDK CLI runs it: it stops before synth on bad context, stays environment-agnostic,
 * and synthesises with cdk-nag and real bundles (esbuild, every function): slower than the template tests in
 * test/infra/, so it runs with the integration tier.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKERS } from '../../../functions/workers.ts';

const run = promisify(execFile);
const APP = fileURLToPath(new URL('../../../infra/app.ts', import.meta.url));

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
    type FunctionResource = {
      Type: string;
      Properties: { Code: { S3Key: string }; Environment?: { Variables?: Record<string, unknown> } };
    };
    const bundleOf = async (template: { Resources: Record<string, FunctionResource> }, service: string) => {
      const entry = Object.values(template.Resources).find(
        (resource) =>
          resource.Type === 'AWS::Lambda::Function' &&
          resource.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service,
      );
      // The staged asset directory is named after the hash the function's S3 key carries.
      const assetDir = join(dir, `asset.${entry?.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      return {
        files: (await readdir(assetDir)).sort(),
        code: await readFile(join(assetDir, 'index.mjs'), 'utf8'),
      };
    };

    // Act
    const result = await runApp({ staticEgressIps: '1', alarmEmail: 'ops@example.com' }, dir);
    const template = JSON.parse(await readFile(join(dir, 'AtlasOps.template.json'), 'utf8'));
    const bundles = Object.fromEntries(
      await Promise.all(
        WORKERS.map(async (worker) => [worker.name, await bundleOf(template, worker.serviceName)]),
      ),
    ) as Record<string, Awaited<ReturnType<typeof bundleOf>>>;
    const { inventory, provisioner, notifier } = bundles;

    // Assess
    expect(result.code, result.stderr).toBe(0);
    for (const bundle of Object.values(bundles)) {
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
    expect(Object.keys(bundles)).toEqual(WORKERS.map((worker) => worker.name));
    expect(inventory?.code).toContain('AmazonS3'); // the pinned @aws-sdk/client-s3 is inside, not the runtime's
    expect(inventory?.code).not.toBe(provisioner?.code);
    // The notifier never calls Atlas: its bundle carries no Atlas client (dated media types, Digest auth).
    expect(provisioner?.code).toContain('application/vnd.atlas.');
    expect(notifier?.code).not.toContain('application/vnd.atlas.');
  });
});
