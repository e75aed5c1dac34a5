/**
 * AWS SDK clients for the local stand-ins: an explicit endpoint (reference/local-aws.md, "Wiring"), a fixed
 * region and dummy credentials, so nothing reads ~/.aws or reaches a real account by accident.
 */

import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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

/**
 * An SQS client for the fauxqs stand-in. fauxqs's queue URLs name `sqs.<region>.localhost`, which does not
 * resolve here; by default the SDK sends each call to its QueueUrl's host, so pin every call to `endpoint`.
 */
export function createLocalSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ region: REGION, endpoint, credentials: CREDENTIALS, useQueueUrlAsEndpoint: false });
}

export interface QueueWithDeadLetter {
  queueUrl: string;
  deadLetterQueueUrl: string;
  deadLetterQueueArn: string;
}

/** SQS's longest retention: a dead letter waits two weeks for someone to look at it. */
const DEAD_LETTER_RETENTION_SECONDS = String(14 * 24 * 60 * 60);

/**
 * Creates `name` and its dead-letter queue `name-dlq` (14 days' retention), with a RedrivePolicy that moves a
 * message there after `maxReceiveCount` deliveries, as the CDK stack does. Safe to call on every start:
 * existing queues get the given attributes.
 */
export async function createQueueWithDeadLetter(
  sqs: SQSClient,
  name: string,
  options: { maxReceiveCount: number; visibilityTimeoutSeconds: number },
): Promise<QueueWithDeadLetter> {
  const deadLetterQueueUrl = await ensureQueue(sqs, `${name}-dlq`, {
    MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS,
  });
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const deadLetterQueueArn = Attributes?.QueueArn;
  if (!deadLetterQueueArn) throw new Error(`Queue ${name}-dlq has no QueueArn`);
  const queueUrl = await ensureQueue(sqs, name, {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetterQueueArn,
      maxReceiveCount: options.maxReceiveCount,
    }),
  });
  return { queueUrl, deadLetterQueueUrl, deadLetterQueueArn };
}

async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
    return QueueUrl;
  } catch (error) {
    // CreateQueue is idempotent only when the attributes match; otherwise update the existing queue.
    if (!(error instanceof QueueNameExists)) throw error;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!QueueUrl) throw new Error(`GetQueueUrl ${name} returned no QueueUrl`);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
    return QueueUrl;
  }
}

export interface LocalDynamoClients {
  dynamo: DynamoDBClient;
  /** Drops undefined values instead of refusing them, as the Lambda wiring does. */
  document: DynamoDBDocumentClient;
}

/** DynamoDB clients for the dynalite stand-in (local/aws/dynamodb.ts). */
export function createLocalDynamoClients(endpoint: string): LocalDynamoClients {
  const dynamo = new DynamoDBClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const document = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, document };
}

/**
 * Creates the operations table (status records and Powertools idempotency records, partition key `id`,
 * on demand) unless it exists, and waits until it is ACTIVE. TTL on `expiresAt` is left to the CDK stack:
 * dynalite has no TTL API (UpdateTimeToLive answers UnknownOperationException), and locally nothing
 * lives long enough to need it.
 */
export async function ensureOperationsTable(dynamo: DynamoDBClient, name: string): Promise<void> {
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // dynalite with createTableMs 0 is ACTIVE on the next tick; DynamoDB Local can take a moment.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`Table ${name} is still ${Table?.TableStatus} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
