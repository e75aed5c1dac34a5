import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AtlasValidationError } from '../../../../shared/atlas/errors.ts';
import {
  accessListEntryValue,
  awsAccountId,
  cidrBlock,
  clusterName,
  ipAddress,
  objectId,
  parseInput,
  serviceAccountClientId,
  vpcId,
} from '../../../../shared/atlas/validation.ts';

describe('input checks with the Atlas spec patterns', () => {
  it.each([
    [
      'objectId',
      objectId,
      ['5f1b2c3d4e5f6a7b8c9d0e1f'],
      ['5F1B2C3D4E5F6A7B8C9D0E1F', '5f1b2c3d', 'zz1b2c3d4e5f6a7b8c9d0e1f'],
    ],
    ['clusterName', clusterName, ['prod', 'Cluster0', 'a-b-1'], ['-prod', 'has space', 'under_score', '']],
    [
      'serviceAccountClientId',
      serviceAccountClientId,
      ['mdb_sa_id_0123456789abcdef01234567'],
      ['mdb_sa_id_123', 'mdb_sa_sk_0123456789abcdef01234567'],
    ],
    ['ipAddress', ipAddress, ['192.0.2.10', '2001:db8::1'], ['192.0.2.256', '10.0.0.0/8', 'host.example']],
    [
      'cidrBlock',
      cidrBlock,
      ['10.0.0.0/16', '192.0.2.1/32', '2001:db8::/32'],
      ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/8/8'],
    ],
    [
      'accessListEntryValue',
      accessListEntryValue,
      ['192.0.2.1', '10.0.0.0/8', 'sg-0a1b2c3d'],
      ['sg-xyz', 'everyone'],
    ],
    ['awsAccountId', awsAccountId, ['123456789012'], ['12345678901', '1234567890123', '12345678901a']],
    ['vpcId', vpcId, ['vpc-0a1b2c3d4e5f60718'], ['vpc-0a1b2c3d', 'subnet-0a1b2c3d4e5f60718']],
  ])('%s accepts valid and refuses invalid values', (_, schema, good, bad) => {
    for (const value of good) expect(schema.safeParse(value).success, value).toBe(true);
    for (const value of bad) expect(schema.safeParse(value).success, value).toBe(false);
  });

  it('names every bad field and not its value', () => {
    // Prepare
    const schema = z.object({ groupId: objectId, entries: z.array(z.object({ cidrBlock })) });
    const input = {
      groupId: 'secret-looking-value',
      entries: [{ cidrBlock: '10.0.0.0/16' }, { cidrBlock: 'nope' }],
    };

    // Act
    const failure = (() => {
      try {
        parseInput('addThings', schema, input);
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(failure).toBeInstanceOf(AtlasValidationError);
    expect((failure as AtlasValidationError).problems.map((p) => p.field)).toEqual([
      'groupId',
      'entries.1.cidrBlock',
    ]);
    expect((failure as Error).message).toContain('Invalid input for addThings');
    expect((failure as Error).message).not.toContain('secret-looking-value');
  });

  it("keeps zod's English message for a rule without one of its own", () => {
    // Prepare: zod/mini loads no locale by itself (every default message would be just "Invalid input")
    const schema = z.object({ groupId: objectId });

    // Act
    const failure = (() => {
      try {
        parseInput('getThing', schema, {});
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect((failure as AtlasValidationError).problems).toEqual([
      { field: 'groupId', description: 'Invalid input: expected string, received undefined' },
    ]);
  });
});
