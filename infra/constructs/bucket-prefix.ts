import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * The statement that lets a role list `bucket` under `prefix`, and nothing else of it. A worker that reads
 * keys which may not exist yet needs it: without s3:ListBucket, S3 answers a missing key with 403
 * AccessDenied instead of 404 NoSuchKey, and "none yet" would read as a failure.
 */
export function listPrefixStatement(sid: string, bucket: IBucket, prefix: string): PolicyStatement {
  return new PolicyStatement({
    sid,
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
  });
}
