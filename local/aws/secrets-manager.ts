/**
 * A Secrets Manager stand-in for tests and the local stack (no emulator exists on npm: reference/local-aws.md).
 * It speaks the awsJson1_1 protocol the AWS SDK uses (`POST /`, `X-Amz-Target: secretsmanager.<Op>`) for the
 * operations we need: GetSecretValue, CreateSecret (with Tags), PutSecretValue, DescribeSecret, TagResource,
 * UntagResource, DeleteSecret, RestoreSecret, and Put/Get/DeleteResourcePolicy. Secrets live in memory;
 * versions rotate through AWSCURRENT → AWSPREVIOUS as in AWS. It never logs, so no value can leak.
 *
 * Deletion follows AWS: `ForceDeleteWithoutRecovery: true` removes the secret at once (then every call
 * answers ResourceNotFoundException and the name is free again); without it the secret is marked for
 * deletion after a recovery window (RecoveryWindowInDays, 7–30, default 30). While marked, reading or
 * writing its value answers InvalidRequestException ("marked for deletion"), so does a second DeleteSecret
 * without force and a CreateSecret of the same name; DescribeSecret still answers, with `DeletedDate` (the
 * time DeleteSecret was called, as moto and the CLI show it), and RestoreSecret cancels the deletion. A
 * secret whose window has passed (real time) is gone. Resource policies are stored and returned, never
 * enforced (only checked to be a JSON object); BlockPublicPolicy is ignored. No KMS, binary secrets,
 * replication, rotation or ListSecrets.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './json-response.ts';

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

interface Tag {
  Key: string;
  Value: string;
}

interface StoredSecret {
  name: string;
  arn: string;
  description?: string;
  createdAt: number;
  changedAt: number;
  versions: Version[];
  /** In the order they were first added, as AWS lists them. */
  tags: Tag[];
  resourcePolicy?: string;
  /** Set while the secret is marked for deletion: when DeleteSecret was called, and when it goes. */
  deletedAt?: number;
  deletionAt?: number;
}

const MAX_TAGS = 50;
const DAY_SECONDS = 24 * 60 * 60;
const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";

/** One request the stand-in answered, for tests that count calls (cache checks). */
export interface SecretsRequest {
  operation: string;
  secretId?: string;
}

export interface SecretsManagerStandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it as the client's `endpoint`. */
  endpoint: string;
  /**
   * Creates the secret, or adds a new AWSCURRENT version (a rotation) when it exists. Throws for a secret
   * marked for deletion, as PutSecretValue would.
   */
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
    purgeExpired();
    for (const secret of secrets.values()) {
      // AWS accepts the name, the full ARN, or the ARN without its random suffix (a partial ARN).
      if (secretId === secret.name || secretId === secret.arn || secretId === secret.arn.slice(0, -7)) {
        return secret;
      }
    }
    throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }

  /** A secret its caller may read or write the value of: not one marked for deletion. */
  function findLive(secretId: unknown): StoredSecret {
    const secret = find(secretId);
    if (secret.deletedAt !== undefined)
      throw new ServiceError('InvalidRequestException', MARKED_FOR_DELETION);
    return secret;
  }

  /** Drops the secrets whose recovery window has passed, as AWS does some time after DeletionDate. */
  function purgeExpired(): void {
    const at = now();
    for (const [name, secret] of secrets) {
      if (secret.deletionAt !== undefined && secret.deletionAt <= at) secrets.delete(name);
    }
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

  function create(
    name: unknown,
    value: unknown,
    extra: { description?: unknown; token?: unknown; tags?: unknown } = {},
  ) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
      throw new ServiceError(
        'InvalidParameterException',
        'Name must be 1-512 characters of A-Za-z0-9/_+=.@-',
      );
    }
    const tags = extra.tags === undefined ? [] : mergeTags([], parseTags(extra.tags));
    purgeExpired();
    if (secrets.get(name)?.deletedAt !== undefined) {
      throw new ServiceError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
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
      tags,
      ...(typeof extra.description === 'string' ? { description: extra.description } : {}),
    };
    secrets.set(name, secret);
    const version = value === undefined ? undefined : addVersion(secret, stringValue(value), extra.token);
    return { secret, version };
  }

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetSecretValue(input) {
      const secret = findLive(input.SecretId);
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
        tags: input.Tags,
      });
      return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.id } : {}) };
    },
    PutSecretValue(input) {
      const secret = findLive(input.SecretId);
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
        ...(secret.deletedAt === undefined ? {} : { DeletedDate: secret.deletedAt }),
        ...(secret.tags.length === 0 ? {} : { Tags: secret.tags.map((tag) => ({ ...tag })) }),
        VersionIdsToStages: Object.fromEntries(secret.versions.map((v) => [v.id, v.stages])),
      };
    },
    TagResource(input) {
      const secret = find(input.SecretId);
      if (input.Tags === undefined) throw new ServiceError('InvalidParameterException', 'Tags is required');
      secret.tags = mergeTags(secret.tags, parseTags(input.Tags));
      secret.changedAt = now();
      return {};
    },
    UntagResource(input) {
      const secret = find(input.SecretId);
      const keys = input.TagKeys;
      if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) {
        throw new ServiceError('InvalidParameterException', 'TagKeys must be a list of strings');
      }
      secret.tags = secret.tags.filter((tag) => !keys.includes(tag.Key));
      secret.changedAt = now();
      return {};
    },
    DeleteSecret(input) {
      const secret = find(input.SecretId);
      const force = input.ForceDeleteWithoutRecovery;
      const window = input.RecoveryWindowInDays;
      if (force !== undefined && typeof force !== 'boolean') {
        throw new ServiceError('InvalidParameterException', 'ForceDeleteWithoutRecovery must be a boolean');
      }
      if (force === true && window !== undefined) {
        throw new ServiceError(
          'InvalidParameterException',
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      }
      if (force === true) {
        // AWS removes the secret asynchronously, but at once for every later call we can observe.
        secrets.delete(secret.name);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: now() };
      }
      const days = window ?? 30;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30) {
        throw new ServiceError(
          'InvalidParameterException',
          'RecoveryWindowInDays must be an integer from 7 to 30',
        );
      }
      if (secret.deletedAt !== undefined)
        throw new ServiceError('InvalidRequestException', MARKED_FOR_DELETION);
      secret.deletedAt = now();
      secret.deletionAt = secret.deletedAt + days * DAY_SECONDS;
      secret.changedAt = secret.deletedAt;
      return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionAt };
    },
    RestoreSecret(input) {
      const secret = find(input.SecretId);
      delete secret.deletedAt;
      delete secret.deletionAt;
      secret.changedAt = now();
      return { ARN: secret.arn, Name: secret.name };
    },
    PutResourcePolicy(input) {
      const secret = find(input.SecretId);
      const policy = input.ResourcePolicy;
      if (typeof policy !== 'string' || policy === '') {
        throw new ServiceError('InvalidParameterException', 'ResourcePolicy is required');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(policy);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new ServiceError(
          'MalformedPolicyDocumentException',
          'The resource policy is not a valid JSON object',
        );
      }
      // Stored as sent and never enforced: IAM evaluation is out of scope for a stand-in.
      secret.resourcePolicy = policy;
      secret.changedAt = now();
      return { ARN: secret.arn, Name: secret.name };
    },
    GetResourcePolicy(input) {
      const secret = find(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(secret.resourcePolicy === undefined ? {} : { ResourcePolicy: secret.resourcePolicy }),
      };
    },
    DeleteResourcePolicy(input) {
      const secret = find(input.SecretId);
      delete secret.resourcePolicy;
      secret.changedAt = now();
      return { ARN: secret.arn, Name: secret.name };
    },
  };

  function putSecret(name: string, value: string): void {
    purgeExpired();
    const existing = secrets.get(name);
    if (existing?.deletedAt !== undefined) throw new Error(`Secret ${name} is marked for deletion`);
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

/** Checks `Tags` as AWS does (keys 1–128 characters, values up to 256, at most 50, no `aws:` prefix). */
function parseTags(value: unknown): Tag[] {
  if (!Array.isArray(value)) throw new ServiceError('InvalidParameterException', 'Tags must be a list');
  return value.map((tag: unknown) => {
    const { Key, Value } = (typeof tag === 'object' && tag !== null ? tag : {}) as Record<string, unknown>;
    if (typeof Key !== 'string' || Key.length < 1 || Key.length > 128) {
      throw new ServiceError('InvalidParameterException', 'Each tag needs a Key of 1-128 characters');
    }
    if (Key.toLowerCase().startsWith('aws:')) {
      throw new ServiceError('InvalidParameterException', 'Tag keys starting with aws: are reserved');
    }
    const text = Value ?? '';
    if (typeof text !== 'string' || text.length > 256) {
      throw new ServiceError(
        'InvalidParameterException',
        'A tag Value must be a string of up to 256 characters',
      );
    }
    return { Key, Value: text };
  });
}

/** Adds `added` to `tags`, a new value replacing the old one of the same key. */
function mergeTags(tags: Tag[], added: Tag[]): Tag[] {
  const merged = tags.map((tag) => ({ ...tag }));
  for (const tag of added) {
    const existing = merged.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else merged.push({ ...tag });
  }
  if (merged.length > MAX_TAGS) {
    throw new ServiceError('InvalidParameterException', `A secret can have at most ${MAX_TAGS} tags`);
  }
  return merged;
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
  sendJson(res, status, body, 'application/x-amz-json-1.1');
}
