/**
 * CDK app entry (`npm run synth`). One stack, composed of one construct per worker; cdk-nag's AwsSolutions
 * checks run on every synth, so a finding fails the build unless it is acknowledged with a reason.
 *
 * Context (`-c key=value`, or `"context"` in cdk.json): every key is optional and checked before synth, with
 * the rules the workers apply at cold start (shared/config/rules.ts); a bad value, or a key the stack does
 * not read, stops it with a message naming the key. The keys, what each does and its default:
 * infra/context.ts, and the table in docs/deploy.md rendered from it.
 *
 * The stack is environment-agnostic: `cdk deploy` puts it in the account and region of the credentials it
 * runs with. It is not pinned to `CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION` on purpose: a pinned stack looks
 * its availability zones up by name instead of `Fn::GetAZs`, and for a deployment with static egress that
 * would replace the subnets, the NAT gateways and so the Elastic IPs Atlas's access lists hold.
 */
import { App } from 'aws-cdk-lib';
import { AtlasOpsStack, atlasOpsPropsFromContext, InvalidContextError } from './atlas-ops-stack.ts';
import { addNagChecks } from './nag.ts';

const app = new App();
try {
  new AtlasOpsStack(app, 'AtlasOps', {
    ...atlasOpsPropsFromContext(app.node),
    description: 'atlas-ops: serverless workers for the MongoDB Atlas Administration API',
  });
} catch (error) {
  if (!(error instanceof InvalidContextError)) throw error;
  console.error(error.message);
  process.exit(1);
}
addNagChecks(app);
app.synth();
