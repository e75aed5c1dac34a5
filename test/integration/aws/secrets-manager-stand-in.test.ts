/**
 * The Secrets Manager stand-in (local/aws/secrets-manager.ts) through the real SecretsManagerClient over
 * loopback HTTP: tags, deletion with and without a recovery window as AWS models it, and resource policies.
 */
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSecretsClient } from '../../../local/aws/clients.ts';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../../../local/aws/secrets-manager.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

let secrets: SecretsManagerStandIn;
let client: SecretsManagerClient;
let counter = 0;

beforeAll(async () => {
  secrets = await startSecretsManagerStandIn();
  client = createLocalSecretsClient(secrets.endpoint);
});

afterAll(async () => {
  client.destroy();
  await secrets.close();
});

/** A name of its own for each test. */
function newName(): string {
  counter += 1;
  return `atlas-ops/stand-in-${counter}`;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a rejection');
  return error;
}

describe('the Secrets Manager stand-in', () => {
  it('stores the Tags of CreateSecret and shows them in DescribeSecret', async () => {
    // Prepare
    const name = newName();

    // Act
    await client.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: 'value',
        Tags: [
          { Key: 'project', Value: 'atlas-ops' },
          { Key: 'env', Value: 'local' },
        ],
      }),
    );
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));

    // Assess
    expect(described.Tags).toEqual([
      { Key: 'project', Value: 'atlas-ops' },
      { Key: 'env', Value: 'local' },
    ]);
    expect(described.DeletedDate).toBeUndefined();
  });

  it('adds, replaces and removes tags with TagResource and UntagResource', async () => {
    // Prepare
    const name = newName();
    await client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v', Tags: [{ Key: 'env', Value: 'local' }] }),
    );

    // Act
    await client.send(
      new TagResourceCommand({
        SecretId: secrets.arnOf(name),
        Tags: [
          { Key: 'env', Value: 'test' },
          { Key: 'owner', Value: 'ops' },
        ],
      }),
    );
    const tagged = await client.send(new DescribeSecretCommand({ SecretId: name }));
    await client.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['env'] }));
    const untagged = await client.send(new DescribeSecretCommand({ SecretId: name }));
    await client.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['owner'] }));
    const bare = await client.send(new DescribeSecretCommand({ SecretId: name }));
    const reserved = await rejection(
      client.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'aws:owner', Value: 'x' }] })),
    );

    // Assess
    expect(tagged.Tags).toEqual([
      { Key: 'env', Value: 'test' },
      { Key: 'owner', Value: 'ops' },
    ]);
    expect(untagged.Tags).toEqual([{ Key: 'owner', Value: 'ops' }]);
    expect(bare.Tags).toBeUndefined();
    expect(reserved.name).toBe('InvalidParameterException');
  });

  it('deletes a secret at once with ForceDeleteWithoutRecovery, freeing its name', async () => {
    // Prepare
    const name = newName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'old' }));

    // Act
    const deleted = await client.send(
      new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }),
    );
    const read = await rejection(client.send(new GetSecretValueCommand({ SecretId: name })));
    const described = await rejection(client.send(new DescribeSecretCommand({ SecretId: name })));
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'new' }));
    const again = await client.send(new GetSecretValueCommand({ SecretId: name }));

    // Assess
    expect(deleted.Name).toBe(name);
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
    expect(read.name).toBe('ResourceNotFoundException');
    expect(described.name).toBe('ResourceNotFoundException');
    expect(again.SecretString).toBe('new');
  });

  it('marks a secret for deletion without force, refusing its value as AWS does until restored', async () => {
    // Prepare
    const name = newName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'value' }));
    const before = Date.now();

    // Act
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: name }));
    const read = await rejection(client.send(new GetSecretValueCommand({ SecretId: name })));
    const written = await rejection(
      client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'other' })),
    );
    const recreated = await rejection(
      client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' })),
    );
    const deletedTwice = await rejection(client.send(new DeleteSecretCommand({ SecretId: name })));
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    await client.send(new RestoreSecretCommand({ SecretId: name }));
    const restored = await client.send(new GetSecretValueCommand({ SecretId: name }));
    const restoredDescription = await client.send(new DescribeSecretCommand({ SecretId: name }));

    // Assess
    const window = (deleted.DeletionDate?.getTime() ?? 0) - before;
    expect(window).toBeGreaterThan(30 * DAY_MS - 60_000);
    expect(window).toBeLessThan(30 * DAY_MS + 60_000);
    for (const error of [read, written, recreated, deletedTwice]) {
      expect(error.name).toBe('InvalidRequestException');
    }
    expect(read.message).toMatch(/marked for deletion/);
    expect(recreated.message).toMatch(/scheduled for deletion/);
    expect(described.DeletedDate).toBeInstanceOf(Date);
    expect(Math.abs((described.DeletedDate?.getTime() ?? 0) - before)).toBeLessThan(60_000);
    expect(restored.SecretString).toBe('value');
    expect(restoredDescription.DeletedDate).toBeUndefined();
  });

  it('takes a RecoveryWindowInDays of 7 to 30, and not together with force', async () => {
    // Prepare
    const name = newName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'value' }));
    const before = Date.now();

    // Act
    const tooShort = await rejection(
      client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 3 })),
    );
    const both = await rejection(
      client.send(
        new DeleteSecretCommand({
          SecretId: name,
          RecoveryWindowInDays: 7,
          ForceDeleteWithoutRecovery: true,
        }),
      ),
    );
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const forced = await client.send(
      new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }),
    );
    const gone = await rejection(client.send(new DescribeSecretCommand({ SecretId: name })));

    // Assess
    expect(tooShort.name).toBe('InvalidParameterException');
    expect(both.name).toBe('InvalidParameterException');
    expect((deleted.DeletionDate?.getTime() ?? 0) - before).toBeGreaterThan(7 * DAY_MS - 60_000);
    expect((deleted.DeletionDate?.getTime() ?? 0) - before).toBeLessThan(7 * DAY_MS + 60_000);
    expect(forced.Name).toBe(name);
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('stores a resource policy and hands it back, without enforcing it', async () => {
    // Prepare
    const name = newName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'value' }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    });

    // Act
    const empty = await client.send(new GetResourcePolicyCommand({ SecretId: name }));
    const put = await client.send(
      new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy, BlockPublicPolicy: true }),
    );
    const got = await client.send(new GetResourcePolicyCommand({ SecretId: secrets.arnOf(name) }));
    const stillReadable = await client.send(new GetSecretValueCommand({ SecretId: name }));
    const malformed = await rejection(
      client.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: 'not json' })),
    );
    await client.send(new DeleteResourcePolicyCommand({ SecretId: name }));
    const removed = await client.send(new GetResourcePolicyCommand({ SecretId: name }));

    // Assess
    expect(empty.ResourcePolicy).toBeUndefined();
    expect(put).toMatchObject({ ARN: secrets.arnOf(name), Name: name });
    expect(got).toMatchObject({ ARN: secrets.arnOf(name), Name: name, ResourcePolicy: policy });
    expect(stillReadable.SecretString).toBe('value');
    expect(malformed.name).toBe('MalformedPolicyDocumentException');
    expect(removed.ResourcePolicy).toBeUndefined();
  });

  it('answers ResourceNotFoundException for the new operations on an unknown secret', async () => {
    // Act
    const errors = await Promise.all([
      rejection(
        client.send(new DeleteSecretCommand({ SecretId: 'nobody', ForceDeleteWithoutRecovery: true })),
      ),
      rejection(
        client.send(new TagResourceCommand({ SecretId: 'nobody', Tags: [{ Key: 'k', Value: 'v' }] })),
      ),
      rejection(client.send(new UntagResourceCommand({ SecretId: 'nobody', TagKeys: ['k'] }))),
      rejection(client.send(new GetResourcePolicyCommand({ SecretId: 'nobody' }))),
    ]);

    // Assess
    expect(errors.map((e) => e.name)).toEqual(Array(4).fill('ResourceNotFoundException'));
  });
});
