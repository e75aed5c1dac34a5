/**
 * Least privilege on the Atlas side: a worker given its own Atlas credentials secret (context
 * `inventoryAtlasSecret`, `provisionerAtlasSecret`, `accessListSyncAtlasSecret`) reads that secret and no other,
 * and is told its id; the workers not named keep the stack's one secret.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { AtlasOpsStack, atlasOpsPropsFromContext } from '../../infra/atlas-ops-stack.ts';
import { roleStatements, testApp } from '../support/cdk.ts';

const INVENTORY_SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas/inventory-read-only-AbCdEf';
const SYNC_SECRET = 'atlas/access-list-admin';

function stackFrom(context: Record<string, unknown>) {
  const app = testApp(context);
  const stack = new AtlasOpsStack(app, 'AtlasOps', atlasOpsPropsFromContext(app.node));
  const template = Template.fromStack(stack);
  const ref = (value: unknown) => stack.resolve(value);
  /** The secrets a worker's role may read, and the secret id its environment names. */
  const secretsOf = (worker: { role: IRole; function: IFunction } | undefined) => {
    if (!worker) throw new Error('worker not deployed');
    const read = roleStatements(template, ref(worker.role.roleName))
      // The Atlas secret's grant (the provisioner's own generated-password secrets are another statement).
      .filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:DescribeSecret'))
      .map((statement) => statement.Resource);
    const logicalId = stack.getLogicalId(worker.function.node.defaultChild as CfnElement);
    const variables = template.toJSON().Resources[logicalId].Properties.Environment.Variables;
    return { read, secretId: variables.ATLAS_SECRET_ID };
  };
  return { stack, template, ref, secretsOf };
}

describe('a worker with its own Atlas credentials', () => {
  it('reads only its own secret, by ARN or by name; the other workers read the stack’s one', () => {
    // Act
    const { stack, ref, secretsOf } = stackFrom({
      inventoryAtlasSecret: INVENTORY_SECRET,
      accessListSyncAtlasSecret: SYNC_SECRET,
    });

    // Assess
    const inventory = secretsOf(stack.inventory);
    expect(inventory).toEqual({ read: [INVENTORY_SECRET], secretId: INVENTORY_SECRET });

    const sync = secretsOf(stack.accessListSync);
    expect(sync.read).toHaveLength(1);
    expect(JSON.stringify(sync.read)).toContain(`secret:${SYNC_SECRET}-??????`);
    expect(sync.secretId).toBe(SYNC_SECRET);

    const shared = ref(stack.credentials.secret.secretArn);
    const provisioner = secretsOf(stack.provisioning);
    expect(provisioner.read).toEqual([shared]);
    expect(JSON.stringify([inventory, sync])).not.toContain(JSON.stringify(shared));
  });

  it('without per-worker secrets, every Atlas worker reads the one secret the stack creates', () => {
    // Act
    const { stack, template, ref, secretsOf } = stackFrom({});

    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', 3); // Atlas, webhook, notifier
    const shared = ref(stack.credentials.secret.secretArn);
    for (const worker of [stack.inventory, stack.provisioning, stack.accessListSync]) {
      expect(secretsOf(worker).read).toEqual([shared]);
    }
  });

  it('refuses a worker name that calls no Atlas, naming the nearest', () => {
    // Act + Assess
    expect(
      () => new AtlasOpsStack(testApp(), 'Typo', { workerAtlasSecrets: { inventry: 'atlas/ro' } }),
    ).toThrow('workerAtlasSecrets: "inventry" is no worker that calls Atlas; did you mean "inventory"?');
    expect(
      () => new AtlasOpsStack(testApp(), 'NoAtlas', { workerAtlasSecrets: { notifier: 'atlas/ro' } }),
    ).toThrow(/"notifier" is no worker that calls Atlas/);
  });
});
