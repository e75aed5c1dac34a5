/**
 * The simulator's own input rules, written from the patterns of the Atlas Administration API spec
 * (reference/atlas-openapi-subset.json). They are deliberately not imported from the client (`shared/`): a
 * wrong rule there must meet a right one here, not the same mistake.
 *
 * Where a spec pattern cannot mean what it says (an alternation anchored only at one end, a mask that may
 * be three digits, security-group ids of digits only), the rule reads it the way Atlas evidently does and
 * says so next to it.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** `groupId`, `orgId`, `userId`, `peerId`, `containerId`, `archiveId`: spec `^([a-f0-9]{24})$`. */
export const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character lowercase hexadecimal id');

/** `clusterName` and a flex cluster's `name`: spec `^[a-zA-Z0-9][a-zA-Z0-9-]*$`. */
export const clusterName = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9-]*$/,
    'must start with a letter or digit and hold only letters, digits and -',
  );

/** A service account's `clientId`: spec `^mdb_sa_id_[a-fA-F\d]{24}$`. */
export const serviceAccountClientId = z
  .string()
  .regex(/^mdb_sa_id_[a-fA-F\d]{24}$/, 'must be a service account client id (mdb_sa_id_ and 24 hex digits)');

/** The `orgMembershipStatus` values of the 2025-02-19 user resources (spec enum of `orgMembershipStatuses`). */
export const ORG_MEMBERSHIP_STATUSES = [
  'PENDING',
  'ACTIVE',
  'INVITATION_EXPIRED',
  'INVITATION_REJECTED',
] as const;

/** Spec `providerName` of peerings and containers. */
export const cloudProvider = z.enum(['AWS', 'AZURE', 'GCP']);

/**
 * The spec's IPv4 form (`^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}`): four decimal octets, no leading
 * zeros. Its IPv6 alternative is anchored only at the end and allows the full form alone; the simulator
 * takes any IPv6 address, as Atlas lists compressed ones.
 */
const IPV4 = /^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}$/;

function isAddress(value: string): boolean {
  return IPV4.test(value) || isIP(value) === 6;
}

/**
 * A CIDR block: an address, `/` (or `%2F`, as the spec's pattern spells it) and a mask of at most 32 bits for
 * IPv4 or 128 for IPv6. The spec's pattern leaves the mask optional and up to three digits; a block that
 * cannot exist is refused here.
 */
export function isCidrBlock(value: string): boolean {
  const [address = '', mask, ...rest] = value.replace(/%2f/i, '/').split('/');
  if (rest.length > 0 || mask === undefined || !/^\d{1,3}$/.test(mask)) return false;
  if (IPV4.test(address)) return Number(mask) <= 32;
  return isIP(address) === 6 && Number(mask) <= 128;
}

/** An `ipAddress` field: one IPv4 or IPv6 address, no mask. */
export const ipAddress = z.string().refine(isAddress, 'must be an IPv4 or IPv6 address');

/** A `cidrBlock` field, with `/` or `%2F` (see `isCidrBlock`). */
export const cidrBlock = z.string().refine(isCidrBlock, 'must be a CIDR block such as 10.0.0.0/16');

/**
 * An AWS security group, with or without its account: spec `^([0-9]*\/)?sg-([0-9]*)`, so `sg-…` and
 * `<account>/sg-…`. The spec allows only digits after `sg-`, but AWS ids are hexadecimal (`sg-0123abcd`), so
 * hex digits are taken.
 */
const AWS_SECURITY_GROUP = /^([0-9]+\/)?sg-[0-9a-f]+$/;

export const awsSecurityGroup = z
  .string()
  .regex(AWS_SECURITY_GROUP, 'must be an AWS security group id (sg-… or <account>/sg-…)');

/**
 * What names a project access-list entry in a path (`entryValue`): an address, a CIDR block (its `/` sent as
 * `%2F`) or a security group. The spec's pattern names `sg-` and eight hex digits; the longer ids and the
 * `<account>/` form the body takes are found too.
 */
export const accessListEntryValue = z
  .string()
  .refine(
    (v) => isAddress(v) || isCidrBlock(v) || AWS_SECURITY_GROUP.test(v),
    'must be an IP address, a CIDR block or an AWS security group id',
  );

/** What names a service-account access-list entry in a path (`ipAddress`): an address or a CIDR block. */
export const ipOrCidr = z
  .string()
  .refine((v) => isAddress(v) || isCidrBlock(v), 'must be an IP address or a CIDR block');

/** `awsAccountId`: spec `^[0-9]{12}$`. */
export const awsAccountId = z.string().regex(/^[0-9]{12}$/, 'must be a 12-digit AWS account id');

/** `vpcId`: spec `^vpc-[0-9a-f]{17}$`. */
export const vpcId = z.string().regex(/^vpc-[0-9a-f]{17}$/, 'must be an AWS VPC id (vpc- and 17 hex digits)');

/**
 * `accepterRegionName`: the spec says only "string", described as the AWS region of the peer VPC in AWS's
 * spelling (`us-east-1`), not Atlas's (`US_EAST_1`).
 */
export const awsRegionName = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'must be an AWS region such as us-east-1');

/** `azureDirectoryId`, `azureSubscriptionId`: spec `format: uuid`. */
export const uuid = z.guid('must be a UUID');

/** `resourceGroupName`, `vnetName`: spec `^([-\w._()])+$`. */
export const azureResourceName = z
  .string()
  .regex(/^([-\w._()])+$/, 'must hold only letters, digits, and - _ . ( )');

/** `gcpProjectId`: spec `^[a-z][0-9a-z-]{4,28}[0-9a-z]{1}`, read as a whole-value match. */
export const gcpProjectId = z
  .string()
  .regex(/^[a-z][0-9a-z-]{4,28}[0-9a-z]$/, 'must be a GCP project id (6-30 lowercase letters, digits, -)');

/** `networkName`: spec `[a-z]([-a-z0-9]{0,62}[a-z0-9]{0,1})?`, read as a whole-value match. */
export const gcpNetworkName = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,62}[a-z0-9]{0,1})?$/,
    'must be a GCP network name (lowercase letters, digits, -)',
  );

/** `deleteAfterDate`: spec `format: date-time`, with a zone (`Z` or an offset). */
export const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a zone',
});

/**
 * The project roles a MongoDB Cloud user can hold (`GroupUserRequest.roles`, `AddOrRemoveGroupRole.groupRole`):
 * the subset gives them no enum; these are the ones the Atlas spec lists for a project's alert recipients and
 * the Atlas Kubernetes operator accepts for project role mappings (`AtlasFederatedAuth` role enum).
 */
export const GROUP_ROLES = [
  'GROUP_BACKUP_MANAGER',
  'GROUP_CLUSTER_MANAGER',
  'GROUP_DATA_ACCESS_ADMIN',
  'GROUP_DATA_ACCESS_READ_ONLY',
  'GROUP_DATA_ACCESS_READ_WRITE',
  'GROUP_DATABASE_ACCESS_ADMIN',
  'GROUP_OBSERVABILITY_VIEWER',
  'GROUP_OWNER',
  'GROUP_READ_ONLY',
  'GROUP_SEARCH_INDEX_EDITOR',
  'GROUP_STREAM_PROCESSING_OWNER',
] as const;

/**
 * The built-in database roles (`DatabaseUserRole.roleName`, the spec's enum without its `<a custom role name>`
 * placeholder: the simulator keeps no custom roles).
 */
export const DATABASE_ROLES = [
  'atlasAdmin',
  'backup',
  'clusterMonitor',
  'dbAdmin',
  'dbAdminAnyDatabase',
  'enableSharding',
  'read',
  'readAnyDatabase',
  'readWrite',
  'readWriteAnyDatabase',
] as const;
