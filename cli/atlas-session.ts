/**
 * Atlas sessions for CLI runs: credentials from `--secret-id` or the Atlas CLI / Terraform environment
 * variables, the same credential retry as the workers (shared/lambda), waits capped at a few seconds (a long
 * Retry-After fails the command with Atlas's message rather than hanging it), and the service-account token
 * revoked when the command ends, so a laptop run leaves no live token behind.
 */
import type { AtlasConnection } from '../shared/atlas/index.ts';
import { connectionFromEnv, SecretAtlasConnection } from '../shared/aws/atlas-connection.ts';
import { type AtlasSession, AtlasSessions } from '../shared/lambda/atlas-session.ts';
import { UsageError } from './command.ts';

/** The longest wait for an Atlas retry a CLI command sleeps. */
export const CLI_MAX_WAIT_MS = 5_000;

/**
 * Runs `work` with an Atlas session; revokes the session's token afterwards, whatever `work` did.
 * @param usage The command's usage text, shown when no credentials are set.
 */
export async function withCliAtlasSession<T>(
  secretId: string | undefined,
  usage: string,
  work: (session: AtlasSession) => Promise<T>,
): Promise<T> {
  const sessions = new AtlasSessions({
    connection: connectionSource(secretId, usage),
    client: { retry: { maxWaitMs: CLI_MAX_WAIT_MS } },
  });
  try {
    return await work(sessions.open());
  } finally {
    await sessions.close().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`atlas-ops: could not revoke the Atlas access token: ${reason}\n`);
    });
  }
}

function connectionSource(
  secretId: string | undefined,
  usage: string,
): { get(): Promise<AtlasConnection>; refresh(): Promise<AtlasConnection> } {
  if (secretId) return new SecretAtlasConnection({ secretId });
  const fromEnv = connectionFromEnv(process.env);
  if (!fromEnv) {
    throw new UsageError(
      `no Atlas credentials: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (or the API key variables), or pass --secret-id\n${usage}`,
    );
  }
  return { get: async () => fromEnv, refresh: async () => fromEnv };
}
