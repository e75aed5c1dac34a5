/**
 * Atlas sessions for CLI runs: credentials from `--secret-id`, the Atlas CLI / Terraform environment
 * variables, or else the local stack running here (`npm start`: its simulator's local-only service account,
 * from .atlas-ops/local-stack.json); the same credential retry as the workers (shared/lambda), waits capped at
 * a few seconds (a long Retry-After fails the command with Atlas's message rather than hanging it), and the
 * service-account token revoked when the command ends, so a laptop run leaves no live token behind.
 */
import type { AtlasConnection } from '../shared/atlas/index.ts';
import {
  connectionFromEnv,
  SecretAtlasConnection,
} from '../shared/lambda/adapters/secret-atlas-connection.ts';
import { type AtlasSession, AtlasSessions } from '../shared/lambda/atlas-session.ts';
import { UsageError } from './command.ts';
import { readLocalStackFile } from './local-stack-file.ts';

/** The longest wait for an Atlas retry a CLI command sleeps. */
export const CLI_MAX_WAIT_MS = 5_000;

/** Where the commands that call Atlas (`run`, `sync`, `inventory`) find credentials: part of their usage. */
export const CREDENTIALS_HELP = `Atlas credentials, the first of these that is set:
  --secret-id NAME_OR_ARN    the workers' Secrets Manager secret, read with your AWS credentials
  MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (a service account), or
  MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY (an API key); with
  MONGODB_ATLAS_BASE_URL for Atlas for Government or a simulator
  the local stack running in this folder (npm start): its Atlas simulator, said so on stderr`;

const SET_CREDENTIALS =
  'set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (or the API key variables), or pass --secret-id';

/**
 * Runs `work` with an Atlas session; revokes the session's token afterwards, whatever `work` did.
 * @param usage The command's usage text, shown when no credentials are found.
 */
export async function withCliAtlasSession<T>(
  secretId: string | undefined,
  usage: string,
  work: (session: AtlasSession) => Promise<T>,
): Promise<T> {
  const sessions = new AtlasSessions({
    connection: await connectionSource(secretId, usage),
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

async function connectionSource(
  secretId: string | undefined,
  usage: string,
): Promise<{ get(): Promise<AtlasConnection>; refresh(): Promise<AtlasConnection> }> {
  if (secretId) return new SecretAtlasConnection({ secretId });
  const connection = connectionFromEnv(process.env) ?? (await localStackConnection(usage));
  return { get: async () => connection, refresh: async () => connection };
}

/**
 * The running local stack's simulator, announced on stderr; a usage error when there is none, when the one
 * that wrote the file has stopped, or when MONGODB_ATLAS_BASE_URL points somewhere else.
 */
async function localStackConnection(usage: string): Promise<AtlasConnection> {
  const baseUrl = process.env.MONGODB_ATLAS_BASE_URL || undefined;
  let atlas: { url: string; clientId: string; clientSecret: string } | undefined;
  try {
    atlas = (await readLocalStackFile(SET_CREDENTIALS)).atlas;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`no Atlas credentials: ${error.message}\n${usage}`);
  }
  if (!atlas) {
    throw new UsageError(
      `no Atlas credentials: the local stack running here names no Atlas simulator (restart it with npm start), or ${SET_CREDENTIALS}\n${usage}`,
    );
  }
  if (baseUrl !== undefined && originOf(baseUrl) !== originOf(atlas.url)) {
    throw new UsageError(
      `no Atlas credentials for MONGODB_ATLAS_BASE_URL ${baseUrl} (the local stack's simulator is ${atlas.url}): ${SET_CREDENTIALS}\n${usage}`,
    );
  }
  const connection = connectionFromEnv({
    MONGODB_ATLAS_CLIENT_ID: atlas.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: atlas.clientSecret,
    MONGODB_ATLAS_BASE_URL: atlas.url,
  });
  if (!connection) throw new UsageError(`no Atlas credentials: ${SET_CREDENTIALS}\n${usage}`);
  process.stderr.write(
    `atlas-ops: using the local stack's Atlas simulator at ${atlas.url} (npm start is running)\n`,
  );
  return connection;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
