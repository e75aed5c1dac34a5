/**
 * Where and as whom to reach Atlas, whatever the credentials were read from (a Secrets Manager secret, the
 * Atlas CLI / Terraform environment variables): shared/lambda/adapters/secret-atlas-connection.ts reads them.
 */
import type { AtlasCredentials } from './auth/credentials.ts';

/** What a worker needs to reach Atlas: who it is and which Atlas (commercial, Government, the simulator). */
export interface AtlasConnection {
  credentials: AtlasCredentials;
  /** Origin only, e.g. `https://cloud.mongodb.com`: no path, no trailing slash. */
  baseUrl: string;
  /** The organization the credentials belong to, when the source names it (managed rotation secrets do). */
  orgId?: string;
}

/**
 * Atlas credentials could not be found or read: a malformed secret or environment, or Secrets Manager
 * refused or failed (throttled, missing, not allowed). Messages name the field or secret at fault, never a
 * value. In a worker it is transient: a secret mid-rotation or a throttled read may succeed on the next try.
 */
export class AtlasConnectionError extends Error {
  override name = 'AtlasConnectionError';
}
