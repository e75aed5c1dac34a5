/**
 * CDK app entry (`npm run synth`). One stack, composed of one construct per worker; cdk-nag's AwsSolutions
 * checks run on every synth, so a finding fails the build unless it is acknowledged with a reason.
 * Context: `-c atlasSecret=NAME_OR_ARN` points the workers at an existing credentials secret.
 */
import { App } from 'aws-cdk-lib';
import { AtlasOpsStack } from './atlas-ops-stack.ts';
import { addNagChecks } from './nag.ts';

const app = new App();
const atlasSecret: unknown = app.node.tryGetContext('atlasSecret');
new AtlasOpsStack(app, 'AtlasOps', {
  ...(typeof atlasSecret === 'string' && atlasSecret !== '' ? { atlasSecretNameOrArn: atlasSecret } : {}),
  description: 'atlas-ops: serverless workers for the MongoDB Atlas Administration API',
});
addNagChecks(app);
app.synth();
