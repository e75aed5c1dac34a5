/**
 * Errors of the AWS adapters (snapshot stores, the status table, the queue); `AtlasConnectionError` is in
 * shared/atlas/connection.ts. Messages name the field,
 * key or secret id at fault and the AWS error name; they never carry a secret value.
 */

/** A snapshot could not be written, or what is stored is missing, not JSON or not a snapshot. */
export class SnapshotStoreError extends Error {
  override name = 'SnapshotStoreError';
  /** The S3 key or file path at fault. */
  readonly key: string;

  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.key = key;
  }
}

/**
 * The operation status table (DynamoDB) refused or failed a read or write. Messages name the table and the
 * operation id; the AWS error's name is kept as `cause`.
 */
export class StatusStoreError extends Error {
  override name = 'StatusStoreError';
  readonly table: string;
  /** The operation id (the item's `id`) the call was about. */
  readonly operationId: string;

  constructor(table: string, operationId: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.table = table;
    this.operationId = operationId;
  }
}

/**
 * A message could not be sent to, changed on, or moved off an SQS queue, or was refused before sending
 * (too large). `index` is the position of the message at fault in the caller's list, when there is one.
 */
export class QueueError extends Error {
  override name = 'QueueError';
  readonly queueUrl: string;
  readonly index: number | undefined;

  constructor(queueUrl: string, message: string, options?: { cause?: unknown; index?: number }) {
    super(message, options);
    this.queueUrl = queueUrl;
    this.index = options?.index;
  }
}

/**
 * The access-list sync's S3 objects or files (the desired state, the record of managed entries, the reports)
 * could not be read or written. Messages name the S3 URI or path and the AWS error's name.
 */
export class AccessListStoreError extends Error {
  override name = 'AccessListStoreError';
  /** The S3 URI or file path at fault. */
  readonly location: string;

  constructor(location: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.location = location;
  }
}

/** The webhook delivery ids (in the operations table) could not be read or written. Names the table. */
export class DeliveryStoreError extends Error {
  override name = 'DeliveryStoreError';
  readonly table: string;

  constructor(table: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.table = table;
  }
}
