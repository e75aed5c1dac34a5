/**
 * `serviceAccountAccessList.delete`: what it refuses. Sending, a 404 as already absent and dryRun are in the
 * table of ../deletes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { badFields, CLIENT_ID, ORG_ID } from '../fixtures.ts';

const TYPE = 'serviceAccountAccessList.delete';
const params = { orgId: ORG_ID, clientId: CLIENT_ID, ipAddress: '198.51.100.0/24' };

describe('serviceAccountAccessList.delete', () => {
  it('refuses an ipAddress that is no address or CIDR block, naming it', () => {
    // Act
    const fields = badFields(TYPE, { ...params, ipAddress: 'sg-0123abcd' });

    // Assess
    expect(fields).toEqual(['params.ipAddress']);
  });
});
