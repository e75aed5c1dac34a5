import { CfnOutput, type CfnOutputProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** What CloudFormation allows in a logical id: ASCII letters and digits, 255 at most. */
const LOGICAL_ID = /^[A-Za-z][A-Za-z0-9]{0,254}$/;

/**
 * A stack output whose logical id is `name` exactly, wherever in the tree it is created: without it, an
 * output inside a construct gets the construct's path and a hash (`WebhookIntakeUrl16711251`), and the
 * names the docs and scripts use (`aws cloudformation describe-stacks … OutputKey`) would not be stable.
 *
 * The naming (docs/deploy.md, "Stack outputs"): an output is named for what its value is, so the name alone
 * says it. A thing the stack has one of keeps its own name (`AtlasSecretArn`, `DashboardName`,
 * `SnapshotBucketName`, `OperationsTableName`, `DesiredStateUri`, `ElasticIp1Address`); a kind the stack has
 * several of (functions, queues, secrets, schedules) starts with the construct id of its worker
 * (`InventoryFunctionName`, `ProvisioningQueueUrl`, `WebhookIntakeSecretArn`, `WebhookIntakeUrl`). Two
 * outputs with one name fail the synth.
 *
 * @example stackOutput(this, 'WebhookIntakeUrl', { value: this.url, description: '…' })
 */
export function stackOutput(scope: Construct, name: string, props: CfnOutputProps): CfnOutput {
  if (!LOGICAL_ID.test(name)) {
    throw new Error(`stackOutput: "${name}" is not a CloudFormation logical id (letters and digits only)`);
  }
  const output = new CfnOutput(scope, name, props);
  output.overrideLogicalId(name);
  return output;
}
