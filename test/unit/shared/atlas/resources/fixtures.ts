/** Ids and values shared by the resource tests; each is valid for the field it names. */
export { CLIENT_ID, GROUP_ID, ORG_ID } from '../../../../support/mock-atlas.ts';

export const API = '/api/atlas/v2';
/** The query string every first page of a list carries. */
export const FIRST_PAGE = 'itemsPerPage=500&pageNum=1&includeCount=false';

export const OTHER_GROUP_ID = '7c1b2c3d4e5f6a7b8c9d0e1f';
export const USER_ID = '8d1b2c3d4e5f6a7b8c9d0e1f';
export const PEER_ID = '9e1b2c3d4e5f6a7b8c9d0e1f';
export const CONTAINER_ID = 'a01b2c3d4e5f6a7b8c9d0e1f';
export const ARCHIVE_ID = 'b11b2c3d4e5f6a7b8c9d0e1f';
export const INVITATION_ID = 'c21b2c3d4e5f6a7b8c9d0e1f';

/** A valid AWS peering request. */
export const AWS_PEERING = {
  providerName: 'AWS',
  containerId: CONTAINER_ID,
  accepterRegionName: 'us-east-1',
  awsAccountId: '123456789012',
  routeTableCidrBlock: '10.8.0.0/21',
  vpcId: 'vpc-0123456789abcdef0',
} as const;

/** Waits `ms` on the real clock. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
