/**
 * An Atlas client built from the credentials secret, with the one retry design.md asks for: when Atlas
 * refuses the credentials (401), the secret may have been rotated, so fetch it again and try once more.
 */
import { AtlasApiError, AtlasAuthError, AtlasClient, type AtlasClientOptions } from '../atlas/index.ts';
import type { AtlasConnection } from './atlas-connection.ts';

export interface AtlasConnectionSource {
  get(): Promise<AtlasConnection>;
  refresh(): Promise<AtlasConnection>;
}

/** True when Atlas refused the credentials themselves (not a project's permissions). */
export function isCredentialRejection(error: unknown): boolean {
  return (
    (error instanceof AtlasApiError && error.status === 401) ||
    (error instanceof AtlasAuthError && (error.status === 401 || error.oauthError === 'invalid_client'))
  );
}

/** Runs `work` with a client for the current credentials; refetches them and retries once if Atlas refuses them. */
export async function withAtlasClient<T>(
  source: AtlasConnectionSource,
  work: (atlas: AtlasClient) => Promise<T>,
  clientOptions: Omit<AtlasClientOptions, 'credentials' | 'baseUrl'> = {},
): Promise<T> {
  const connect = (connection: AtlasConnection) =>
    new AtlasClient({ ...clientOptions, credentials: connection.credentials, baseUrl: connection.baseUrl });
  try {
    return await work(connect(await source.get()));
  } catch (error) {
    if (!isCredentialRejection(error)) throw error;
    return work(connect(await source.refresh()));
  }
}
