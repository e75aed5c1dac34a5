/**
 * `projectAccessList.delete`: what it refuses. Sending, a 404 as already absent and dryRun are in the
 * table of ../deletes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { badFields, GROUP_ID } from '../fixtures.ts';

const TYPE = 'projectAccessList.delete';

describe('projectAccessList.delete', () => {
  it('refuses an entryValue that is no address, CIDR block or security group, naming it', () => {
    // Act
    const fields = badFields(TYPE, { groupId: GROUP_ID, entryValue: 'example.com' });

    // Assess
    expect(fields).toEqual(['params.entryValue']);
  });
});
