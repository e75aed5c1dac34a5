/** Infrastructure-test support: a CDK app for tests that read the synthesized template. */
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';

/**
 * An app that skips esbuild (these tests read the template, not the bundle: test/integration/bundle checks
 * that) and the built-in CloudFormation validation, which only warns and costs seconds (`npm run synth` runs
 * it). `context` is what `-c key=value` would give.
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], ...context },
  });
}

/** The statements of every IAM policy attached to the role `roleRef` (a resolved `Ref`): what its grants add. */
export function roleStatements(template: Template, roleRef: unknown): Record<string, unknown>[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
