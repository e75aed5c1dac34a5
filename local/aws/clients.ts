/**
 * AWS SDK clients for the local stand-ins: an explicit endpoint (reference/local-aws.md, "Wiring"), a fixed
 * region and dummy credentials, so nothing reads ~/.aws or reaches a real account by accident.
 */
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** An S3 client for the fauxqs stand-in: path-style, since `<bucket>.127.0.0.1` does not resolve. */
export function createLocalS3Client(endpoint: string): S3Client {
  return new S3Client({ region: REGION, endpoint, forcePathStyle: true, credentials: CREDENTIALS });
}

/** A Secrets Manager client for the local stand-in (local/aws/secrets-manager.ts). */
export function createLocalSecretsClient(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({ region: REGION, endpoint, credentials: CREDENTIALS });
}

/** Creates the bucket unless it is already there; safe to call on every start. */
export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch (error) {
    // HeadBucket answers a bare 404 (`NotFound`); anything else (403, network) is a real problem.
    if (!(error instanceof Error) || error.name !== 'NotFound') throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    // Another starter may have won the race between our HEAD and CREATE.
    if (!(error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists)) throw error;
  }
}
