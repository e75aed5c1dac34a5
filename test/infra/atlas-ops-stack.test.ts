import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { AtlasOpsStack } from '../../infra/atlas-ops-stack.ts';
import { addNagChecks } from '../../infra/nag.ts';

/** Skips esbuild: these tests read the template (the bundle is checked in app.test.ts). */
function testApp(): App {
  // The built-in CloudFormation validation only warns (and is run by `npm run synth`); it costs seconds.
  return new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
}

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
});
