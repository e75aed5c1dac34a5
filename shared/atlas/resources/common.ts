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

/**
 * A MongoDB Cloud user as the 2025-02-19 user resources return one, with the roles of the resource (org
 * roles for an organization's users, project roles for a project's); narrow on `orgMembershipStatus`.
 */
export type CloudUser<Roles> = ActiveCloudUser<Roles> | PendingCloudUser<Roles>;

interface CloudUserBase<Roles> {
  id: string;
  /** Email address. */
  username: string;
  roles: Roles;
}

/** A user who has joined the organization. */
export interface ActiveCloudUser<Roles> extends CloudUserBase<Roles> {
  orgMembershipStatus: 'ACTIVE';
  createdAt: string;
  firstName: string;
  lastName: string;
  country?: string;
  lastAuth?: string;
  mobileNumber?: string;
}

/** An invitation that is open, expired or rejected. */
export interface PendingCloudUser<Roles> extends CloudUserBase<Roles> {
  orgMembershipStatus: Exclude<OrgMembershipStatus, 'ACTIVE'>;
  invitationCreatedAt: string;
  invitationExpiresAt?: string | null;
  inviterUsername: string;
}
