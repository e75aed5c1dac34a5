/**
 * The stack as `cdk synth` builds it, bundling included (the infra tests skip bundling): every function's
 * code asset is its own handler's bundle, built on this machine by build/lambda-bundle.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, LAMBDA_HANDLER } from '../../../build/lambda-bundle.ts';
import { AtlasOpsStack } from '../../../infra/atlas-ops-stack.ts';

/** A string only each worker's bundle carries: a variable its environment schema alone reads, or a log message. */
const HANDLER_MARKERS: Record<string, string> = {
  Inventory: 'Inventory stored',
  Provisioning: 'ATLAS_MAX_ATTEMPTS',
  WebhookIntake: 'WEBHOOK_SECRET_ID',
  Notifier: 'NOTIFIER_SECRET_ID',
  AccessListSync: 'ACCESS_LIST_BUCKET',
};

describe('the synthesized stack', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'atlas-ops-synth-'));
  let functions: { worker: string; handler: string; bundle: string }[];

  beforeAll(() => {
    // Asset metadata, as the CDK CLI asks for it: where each function's asset was staged.
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:enable-asset-metadata': true },
    });
    const stack = new AtlasOpsStack(app, 'AtlasOps', { provisioning: {}, accessListSync: {} });
    const assembly = app.synth();
    const resources = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    functions = Object.entries(resources)
      .filter(([, resource]) => resource.Metadata?.['aws:asset:path'])
      .map(([logicalId, resource]) => {
        const assetDir = join(assembly.directory, resource.Metadata['aws:asset:path']);
        expect(readdirSync(assetDir).sort()).toEqual([BUNDLE_FILE, `${BUNDLE_FILE}.map`]);
        return {
          worker: logicalId.replace(/Function[0-9A-F]{8}$/, ''),
          handler: resource.Properties.Handler,
          bundle: readFileSync(join(assetDir, BUNDLE_FILE), 'utf8'),
        };
      });
  }, 60_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("gives every worker a bundle of its own handler, an ES module exporting what Lambda's handler names", () => {
    // Assert
    expect(functions.map(({ worker }) => worker).sort()).toEqual(Object.keys(HANDLER_MARKERS).sort());
    for (const { worker, handler, bundle } of functions) {
      expect(handler).toBe(LAMBDA_HANDLER);
      // A minified name, which may hold a `$`.
      expect(bundle).toMatch(/export\s*\{\s*[\w$]+ as handler\s*\}/);
      for (const [other, marker] of Object.entries(HANDLER_MARKERS)) {
        expect({ worker, other, carries: bundle.includes(marker) }).toEqual({
          worker,
          other,
          carries: other === worker,
        });
      }
    }
  });
});
