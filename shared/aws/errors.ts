/**
 * Errors of the AWS adapters (credentials from Secrets Manager, snapshot stores). Messages name the field,
 * key or secret id at fault and the AWS error name; they never carry a secret value.
 */

/**
 * Atlas credentials could not be found or read: a malformed secret or environment, or Secrets Manager
 * refused or failed. Retrying does not help until someone fixes the secret, its policy or the config.
 */
export class AtlasConnectionError extends Error {
  override name = 'AtlasConnectionError';
}

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
