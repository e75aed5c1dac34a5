/** Shapes that many Atlas resources share. */

export interface Link {
  href: string;
  rel: string;
}

/** A resource tag (`tags[]` on projects and clusters). */
export interface ResourceTag {
  key: string;
  value: string;
}

export type CloudProvider = 'AWS' | 'AZURE' | 'GCP';

/** Where a user stands with the organization, in the 2025-02-19 user resources (also a filter's values). */
export const ORG_MEMBERSHIP_STATUSES = [
  'PENDING',
  'ACTIVE',
  'INVITATION_EXPIRED',
  'INVITATION_REJECTED',
] as const;

export type OrgMembershipStatus = (typeof ORG_MEMBERSHIP_STATUSES)[number];
