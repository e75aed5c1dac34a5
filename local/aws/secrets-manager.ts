/**
 * A Secrets Manager stand-in for tests and the local stack (no emulator exists on npm: reference/local-aws.md).
 * It speaks the awsJson1_1 protocol the AWS SDK uses (`POST /`, `X-Amz-Target: secretsmanager.<Op>`) for the
 * few operations we need: GetSecretValue, CreateSecret, PutSecretValue, DescribeSecret. Secrets live in
 * memory; versions rotate through AWSCURRENT → AWSPREVIOUS as in AWS. It never logs, so no value can leak.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const MAX_BODY_BYTES = 1024 * 1024;
const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

interface Version {
  id: string;
  value: string;
  stages: string[];
  createdAt: number;
}

interface StoredSecret {
  name: string;
  arn: string;
  description?: string;
  createdAt: number;
  changedAt: number;
  versions: Version[];
}

/** One request the stand-in answered, for tests that count calls (cache checks). */
export interface SecretsRequest {
  operation: string;
  secretId?: string;
}

export interface SecretsManagerStandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it as the client's `endpoint`. */
  endpoint: string;
  /** Creates the secret, or adds a new AWSCURRENT version (a rotation) when it exists. */
  putSecret(name: string, value: string): void;
  /** The ARN of a secret (names end in `-` and six random characters, as in AWS). */
  arnOf(name: string): string | undefined;
  /** Requests answered so far, oldest first. */
  readonly requests: readonly SecretsRequest[];
  close(): Promise<void>;
}

/** A failure in the shape the SDK turns into its typed exception (`__type` → class). */
class ServiceError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/** Starts the stand-in on 127.0.0.1 and a free port, with `secrets` (name → SecretString) already there. */
export async function startSecretsManagerStandIn(
  options: { secrets?: Record<string, string> } = {},
): Promise<SecretsManagerStandIn> {
  const secrets = new Map<string, StoredSecret>();
  const requests: SecretsRequest[] = [];
  const now = () => Date.now() / 1000;

  function find(secretId: unknown): StoredSecret {
    if (typeof secretId !== 'string' || secretId === '') {
      throw new ServiceError('InvalidParameterException', 'SecretId is required');
    }
    for (const secret of secrets.values()) {
      // AWS accepts the name, the full ARN, or the ARN without its random suffix (a partial ARN).
      if (secretId === secret.name || secretId === secret.arn || secretId === secret.arn.slice(0, -7)) {
        return secret;
      }
    }
    throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }

  function addVersion(secret: StoredSecret, value: string, versionId?: unknown): Version {
    const id = typeof versionId === 'string' && versionId !== '' ? versionId : randomUUID();
    for (const version of secret.versions) {
      version.stages = version.stages.filter((stage) => stage !== PREVIOUS);
      if (version.stages.includes(CURRENT))
        version.stages = [...version.stages.filter((s) => s !== CURRENT), PREVIOUS];
    }
    // Versions with no stage left are deprecated: AWS drops them eventually; we drop them now.
    secret.versions = secret.versions.filter((version) => version.stages.length > 0);
    const version: Version = { id, value, stages: [CURRENT], createdAt: now() };
    secret.versions.push(version);
    secret.changedAt = version.createdAt;
    return version;
  }

  function create(name: unknown, value: unknown, extra: { description?: unknown; token?: unknown } = {}) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
      throw new ServiceError(
        'InvalidParameterException',
        'Name must be 1-512 characters of A-Za-z0-9/_+=.@-',
      );
    }
    if (secrets.has(name)) {
      throw new ServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const suffix = randomBytes(6).toString('base64url').slice(0, 6).replace(/[-_]/g, 'x');
    const secret: StoredSecret = {
      name,
      arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${suffix}`,
      createdAt: now(),
      changedAt: now(),
      versions: [],
      ...(typeof extra.description === 'string' ? { description: extra.description } : {}),
    };
    secrets.set(name, secret);
    const version = value === undefined ? undefined : addVersion(secret, stringValue(value), extra.token);
    return { secret, version };
  }

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetSecretValue(input) {
      const secret = find(input.SecretId);
      const stage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined;
      const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
      const version = secret.versions.find((v) =>
        versionId
          ? v.id === versionId && (!stage || v.stages.includes(stage))
          : v.stages.includes(stage ?? CURRENT),
      );
      if (!version) {
        throw new ServiceError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for VersionId or VersionStage.",
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        SecretString: version.value,
        VersionId: version.id,
        VersionStages: version.stages,
        CreatedDate: version.createdAt,
      };
    },
    CreateSecret(input) {
      if (input.SecretBinary !== undefined) {
        throw new ServiceError('InvalidRequestException', 'SecretBinary is not supported by this stand-in');
      }
      const { secret, version } = create(input.Name, input.SecretString, {
        description: input.Description,
        token: input.ClientRequestToken,
      });
      return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.id } : {}) };
    },
    PutSecretValue(input) {
      const secret = find(input.SecretId);
      if (input.SecretString === undefined) {
        throw new ServiceError('InvalidRequestException', 'SecretString is required by this stand-in');
      }
      const version = addVersion(secret, stringValue(input.SecretString), input.ClientRequestToken);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
    },
    DescribeSecret(input) {
      const secret = find(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(secret.description === undefined ? {} : { Description: secret.description }),
        CreatedDate: secret.createdAt,
        LastChangedDate: secret.changedAt,
        VersionIdsToStages: Object.fromEntries(secret.versions.map((v) => [v.id, v.stages])),
      };
    },
  };

  function putSecret(name: string, value: string): void {
    const existing = secrets.get(name);
    if (existing) addVersion(existing, value);
    else create(name, value);
  }

  for (const [name, value] of Object.entries(options.secrets ?? {})) putSecret(name, value);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const target = req.headers['x-amz-target'];
      const operation =
        typeof target === 'string' && target.startsWith('secretsmanager.') ? target.slice(15) : '';
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (req.method !== 'POST' || req.url !== '/' || !run) {
        throw new ServiceError('InvalidRequestException', `Unsupported operation: ${operation || '(none)'}`);
      }
      const input = await readJson(req);
      requests.push({
        operation,
        ...(typeof input.SecretId === 'string' ? { secretId: input.SecretId } : {}),
        ...(typeof input.Name === 'string' ? { secretId: input.Name } : {}),
      });
      send(res, 200, run(input));
    } catch (error) {
      if (error instanceof ServiceError) send(res, 400, { __type: error.type, message: error.message });
      else send(res, 500, { __type: 'InternalServiceError', message: 'The stand-in failed' });
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    putSecret,
    arnOf: (name) => secrets.get(name)?.arn,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

function stringValue(value: unknown): string {
  if (typeof value !== 'string')
    throw new ServiceError('InvalidParameterException', 'SecretString must be a string');
  return value;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ServiceError('InvalidRequestException', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    // The parser's message would quote the body, which may hold a secret value.
    throw new ServiceError('InvalidRequestException', 'The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ServiceError('InvalidRequestException', 'The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}
