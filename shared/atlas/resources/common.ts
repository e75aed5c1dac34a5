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

/** Where a user stands with the organization (2025-02-19 user resources). */
export type OrgMembershipStatus = 'PENDING' | 'ACTIVE' | 'INVITATION_EXPIRED' | 'INVITATION_REJECTED';

/** The membership statuses, for filters that take them. */
export const ORG_MEMBERSHIP_STATUSES = [
  'PENDING',
  'ACTIVE',
  'INVITATION_EXPIRED',
  'INVITATION_REJECTED',
] as const satisfies readonly OrgMembershipStatus[];
