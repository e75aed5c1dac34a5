/**
 * Input checks, with the patterns of the Atlas Administration API spec, run before any request so that bad
 * input never reaches Atlas and the error names every bad field. Error messages describe the rule, never the
 * value (a value may be something the caller would not want in a log).
 */
import { isIP } from 'node:net';
import * as z from '../config/zod.ts';
import { AtlasValidationError } from './errors.ts';

/** `groupId`, `orgId`, `userId`, `peerId`, `containerId`, `archiveId`, …: 24 lowercase hex digits. */
export { objectId } from '../config/rules.ts';

/** A cluster (or flex cluster) name: starts with a letter or digit, then letters, digits and hyphens. */
export const clusterName = z
  .string()
  .check(
    z.maxLength(64, 'must be at most 64 characters'),
    z.regex(
      /^[a-zA-Z0-9][a-zA-Z0-9-]*$/,
      'must start with a letter or digit and hold only letters, digits and -',
    ),
  );

/** A service account's client id: `mdb_sa_id_` and 24 hex digits. */
export const serviceAccountClientId = z
  .string()
  .check(
    z.regex(
      /^mdb_sa_id_[a-fA-F0-9]{24}$/,
      'must be a service account client id (mdb_sa_id_ and 24 hex digits)',
    ),
  );

/** True for `a.b.c.d/n` (n ≤ 32) and IPv6 `addr/n` (n ≤ 128). */
export function isCidrBlock(value: string): boolean {
  const [address = '', mask, ...rest] = value.split('/');
  if (rest.length > 0 || mask === undefined || !/^\d{1,3}$/.test(mask)) return false;
  const family = isIP(address);
  return (family === 4 && Number(mask) <= 32) || (family === 6 && Number(mask) <= 128);
}

/** One IPv4 or IPv6 address, no mask. */
export const ipAddress = z.string().check(z.refine((v) => isIP(v) !== 0, 'must be an IPv4 or IPv6 address'));

/** An IPv4 or IPv6 CIDR block such as `10.0.0.0/16`. */
export const cidrBlock = z.string().check(z.refine(isCidrBlock, 'must be a CIDR block such as 10.0.0.0/16'));

/**
 * An AWS security group, `sg-…` or `<account>/sg-…` (the spec's `NetworkPermissionEntry.awsSecurityGroup`
 * pattern: an optional digits-and-slash prefix; the account is the 12-digit owner of a group in a peered VPC).
 */
export const awsSecurityGroupId = z
  .string()
  .check(
    z.regex(/^(\d{12}\/)?sg-[0-9a-f]{8,17}$/, 'must be an AWS security group id (sg-… or <account>/sg-…)'),
  );

/** What identifies a project access-list entry in a path: an IP, a CIDR block or a security group. */
export const accessListEntryValue = z
  .string()
  .check(
    z.refine(
      (v) => isIP(v) !== 0 || isCidrBlock(v) || z.safeParse(awsSecurityGroupId, v).success,
      'must be an IP address, a CIDR block or an AWS security group id',
    ),
  );

/** What identifies a service-account access-list entry in a path: an IP or a CIDR block. */
export const ipOrCidr = z
  .string()
  .check(z.refine((v) => isIP(v) !== 0 || isCidrBlock(v), 'must be an IP address or a CIDR block'));

/** A 12-digit AWS account id. */
export const awsAccountId = z.string().check(z.regex(/^[0-9]{12}$/, 'must be a 12-digit AWS account id'));

/** An AWS VPC id, as the Atlas spec requires (`vpc-` and 17 hex digits). */
export const vpcId = z
  .string()
  .check(z.regex(/^vpc-[0-9a-f]{17}$/, 'must be an AWS VPC id (vpc- and 17 hex digits)'));

/** An AWS region in AWS's own spelling, e.g. `us-east-1`. */
export const awsRegionName = z
  .string()
  .check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'must be an AWS region such as us-east-1'));

export const cloudProvider = z.enum(['AWS', 'AZURE', 'GCP']);

/** An RFC 3339 date-time with a zone, as Atlas expects for `deleteAfterDate`. */
export const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a zone',
});

/** Checks `input` against `schema`; throws `AtlasValidationError` naming each bad field. */
export function parseInput<T>(operation: string, schema: z.core.$ZodType<T>, input: unknown): T {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  throw new AtlasValidationError(
    operation,
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      description: issue.message,
    })),
  );
}
