/**
 * Where inventory snapshots live: S3 in AWS, a folder for the CLI (`--out DIR`) and the local stack. Both use
 * one layout: each run in its own dated folder (`YYYY/MM/DD/<generatedAt>-<random>/`, UTC), then a small
 * `latest.json` pointer written last, so a reader sees either the previous run or the whole new one, and a
 * run that fails part-way (and is retried) leaves `latest.json` on the last complete run.
 *
 * Reading: a `latest.json` that is absent means no run yet; one that is unusable, or that points at a snapshot
 * that is gone (the bucket's lifecycle rule expires dated runs, so a long pause can outlive the one it names)
 * or unusable, gives no previous snapshot and a warning, so the next run starts afresh instead of failing
 * until someone repairs the bucket. Any other failure to read (access denied, throttling) is thrown.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SnapshotStoreError } from '../../aws/errors.ts';
import * as z from '../../config/zod.ts';
import type { PreviousSnapshot, Snapshot } from '../model.ts';
import type { LatestSnapshot, SnapshotFiles, SnapshotStore, StoredSnapshot } from '../snapshot-store.ts';

const LATEST = 'latest.json';
const FILE_NAMES = { json: 'snapshot.json', csv: 'clusters.csv', html: 'report.html' } as const;
const CONTENT_TYPES = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/** `latest.json`: which run is the newest. Paths are relative to the store's prefix or directory. */
const pointerSchema = z.object({
  generatedAt: z.string(),
  snapshot: z.string().check(z.minLength(1)),
  csv: z.optional(z.string().check(z.minLength(1))),
  html: z.optional(z.string().check(z.minLength(1))),
});
type Pointer = z.infer<typeof pointerSchema>;

/**
 * Enough of a snapshot to trust that the file is one (the diff reads clusters, projects, errors and what
 * was not read); the rest is passed through untouched, since the writer was our own code. `unreadProjectIds`
 * is optional: snapshots written before it existed lack it.
 */
const snapshotSchema = z.looseObject({
  generatedAt: z.string(),
  source: z.looseObject({ baseUrl: z.string() }),
  projects: z.array(z.looseObject({ id: z.string() })),
  clusters: z.array(z.looseObject({ groupId: z.string(), name: z.string() })),
  errors: z.array(z.looseObject({ projectId: z.string() })),
  unreadProjectIds: z.optional(z.array(z.string())),
  findings: z.array(z.unknown()),
  changes: z.looseObject({}),
});

/** Relative paths of one run: `YYYY/MM/DD/<20261129T101530123Z>-<8 hex>/<file>`, dated by `generatedAt` (UTC). */
function runLayout(
  snapshot: Snapshot,
  where: string,
): { folder: string; files: Record<keyof typeof FILE_NAMES, string> } {
  const at = new Date(snapshot.generatedAt);
  if (Number.isNaN(at.getTime())) {
    throw new SnapshotStoreError(where, `Cannot store a snapshot whose generatedAt is not a date`);
  }
  const iso = at.toISOString(); // 2026-11-29T10:15:30.123Z
  const day = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
  const compact = iso.replace(/[-:.]/g, ''); // 20261129T101530123Z
  // Two runs in the same millisecond (retries, tests) must not overwrite each other.
  const folder = `${day}/${compact}-${randomBytes(4).toString('hex')}/`;
  return {
    folder,
    files: {
      json: `${folder}${FILE_NAMES.json}`,
      csv: `${folder}${FILE_NAMES.csv}`,
      html: `${folder}${FILE_NAMES.html}`,
    },
  };
}

/** A stored file's content, or why it is not what it should be. */
type Parsed<T> = { value: T } | { problem: string };

function parseStored<T>(schema: z.core.$ZodType<T>, text: string, where: string, what: string): Parsed<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: `${where} is not valid JSON` };
  }
  const result = z.safeParse(schema, parsed);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    return { problem: `${where} is not ${what}: ${problems}` };
  }
  return { value: result.data };
}

/** How `readLatest` reaches a store's files, by their paths relative to the store's prefix or folder. */
interface LatestSource {
  /** How messages name `relative`: an `s3://` URI or an absolute path. */
  name(relative: string): string;
  /** The text at `relative`; undefined when there is none. Any other failure throws a `SnapshotStoreError`. */
  read(relative: string): Promise<string | undefined>;
  /** Why the pointer's target must not be followed, if it must not. */
  refuse?(relative: string): string | undefined;
}

const FIRST_RUN = 'so this run has nothing to compare with and counts as a first run';

/** Follows `latest.json` to the newest snapshot (see the module's comment for what is a warning). */
async function readLatestFrom(source: LatestSource): Promise<LatestSnapshot> {
  const unusable = (problem: string): LatestSnapshot => ({
    snapshot: undefined,
    warnings: [`${problem}, ${FIRST_RUN}`],
  });
  const pointerText = await source.read(LATEST);
  if (pointerText === undefined) return { snapshot: undefined, warnings: [] };
  const pointerName = source.name(LATEST);
  const pointer = parseStored(pointerSchema, pointerText, pointerName, 'a latest-snapshot pointer');
  if ('problem' in pointer) return unusable(pointer.problem);
  const refused = source.refuse?.(pointer.value.snapshot);
  if (refused !== undefined) return unusable(refused);
  const snapshotName = source.name(pointer.value.snapshot);
  const snapshotText = await source.read(pointer.value.snapshot);
  if (snapshotText === undefined) {
    return unusable(
      `${pointerName} points at ${snapshotName}, which does not exist (expired by the lifecycle rule, or deleted)`,
    );
  }
  const snapshot = parseStored(snapshotSchema, snapshotText, snapshotName, 'an inventory snapshot');
  if ('problem' in snapshot) return unusable(snapshot.problem);
  // The schema checks the parts we rely on; the writer was this module, so the rest has the model's shape.
  return { snapshot: snapshot.value as unknown as PreviousSnapshot, warnings: [] };
}

/** `inventory` → `inventory/`; `''` stays `''`; leading slashes go (S3 keys do not start with one). */
function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export interface S3SnapshotStoreOptions {
  s3: S3Client;
  bucket: string;
  /** Key prefix, e.g. `inventory/`; a missing trailing slash is added. Default: the bucket's root. */
  prefix?: string;
}

/** Snapshots in S3 under `prefix`, with `prefix/latest.json` pointing at the newest. */
export class S3SnapshotStore implements SnapshotStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3SnapshotStoreOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#prefix = normalisePrefix(options.prefix ?? '');
  }

  readLatest(): Promise<LatestSnapshot> {
    return readLatestFrom({
      name: (relative) => this.#uri(`${this.#prefix}${relative}`),
      read: (relative) => this.#read(`${this.#prefix}${relative}`),
    });
  }

  async write(snapshot: Snapshot, files: SnapshotFiles): Promise<StoredSnapshot> {
    const layout = runLayout(snapshot, this.#uri(this.#prefix));
    const keys = {
      json: `${this.#prefix}${layout.files.json}`,
      ...(files.csv === undefined ? {} : { csv: `${this.#prefix}${layout.files.csv}` }),
      ...(files.html === undefined ? {} : { html: `${this.#prefix}${layout.files.html}` }),
    };
    await Promise.all([
      this.#put(keys.json, JSON.stringify(snapshot), CONTENT_TYPES.json),
      ...(keys.csv && files.csv !== undefined ? [this.#put(keys.csv, files.csv, CONTENT_TYPES.csv)] : []),
      ...(keys.html && files.html !== undefined
        ? [this.#put(keys.html, files.html, CONTENT_TYPES.html)]
        : []),
    ]);
    // Last, and only once all three exist: S3 replaces an object atomically, so readers never see half a run.
    const pointer: Pointer = {
      generatedAt: snapshot.generatedAt,
      snapshot: layout.files.json,
      ...(keys.csv ? { csv: layout.files.csv } : {}),
      ...(keys.html ? { html: layout.files.html } : {}),
    };
    await this.#put(`${this.#prefix}${LATEST}`, JSON.stringify(pointer), CONTENT_TYPES.json, 'no-cache');
    return { location: this.#uri(`${this.#prefix}${layout.folder}`), keys };
  }

  #uri(key: string): string {
    return `s3://${this.#bucket}/${key}`;
  }

  async #read(key: string): Promise<string | undefined> {
    try {
      const result = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return (await result.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw new SnapshotStoreError(
        this.#uri(key),
        `Could not read ${this.#uri(key)}: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  async #put(key: string, body: string, contentType: string, cacheControl?: string): Promise<void> {
    try {
      await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...(cacheControl ? { CacheControl: cacheControl } : {}),
        }),
      );
    } catch (error) {
      throw new SnapshotStoreError(
        this.#uri(key),
        `Could not write ${this.#uri(key)}: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}

export interface FileSnapshotStoreOptions {
  /** The folder that holds `latest.json` and the dated runs; created when missing. */
  dir: string;
}

/** Snapshots in a local folder, same layout as S3; every file appears whole (temp file + rename). */
export class FileSnapshotStore implements SnapshotStore {
  readonly dir: string;

  constructor(options: FileSnapshotStoreOptions) {
    this.dir = path.resolve(options.dir);
  }

  readLatest(): Promise<LatestSnapshot> {
    return readLatestFrom({
      name: (relative) => path.resolve(this.dir, relative),
      read: (relative) => readText(path.resolve(this.dir, relative)),
      refuse: (relative) => this.#refuse(relative),
    });
  }

  async write(snapshot: Snapshot, files: SnapshotFiles): Promise<StoredSnapshot> {
    const layout = runLayout(snapshot, this.dir);
    const folder = path.join(this.dir, layout.folder);
    const keys = {
      json: path.join(this.dir, layout.files.json),
      ...(files.csv === undefined ? {} : { csv: path.join(this.dir, layout.files.csv) }),
      ...(files.html === undefined ? {} : { html: path.join(this.dir, layout.files.html) }),
    };
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw new SnapshotStoreError(folder, `Could not create ${folder}: ${describeError(error)}`, {
        cause: error,
      });
    }
    await Promise.all([
      writeAtomically(keys.json, JSON.stringify(snapshot)),
      ...(keys.csv && files.csv !== undefined ? [writeAtomically(keys.csv, files.csv)] : []),
      ...(keys.html && files.html !== undefined ? [writeAtomically(keys.html, files.html)] : []),
    ]);
    // Relative paths, so the folder can be moved or mounted elsewhere and still read.
    const pointer: Pointer = {
      generatedAt: snapshot.generatedAt,
      snapshot: layout.files.json,
      ...(keys.csv ? { csv: layout.files.csv } : {}),
      ...(keys.html ? { html: layout.files.html } : {}),
    };
    await writeAtomically(path.join(this.dir, LATEST), `${JSON.stringify(pointer, null, 2)}\n`);
    return { location: folder, keys };
  }

  /** Why a pointer's path must not be followed: anything that climbs out of this store's folder. */
  #refuse(relative: string): string | undefined {
    const resolved = path.resolve(this.dir, relative);
    if (path.isAbsolute(relative) || !resolved.startsWith(`${this.dir}${path.sep}`)) {
      return `${path.join(this.dir, LATEST)} points outside ${this.dir}`;
    }
    return undefined;
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SnapshotStoreError(file, `Could not read ${file}: ${describeError(error)}`, { cause: error });
  }
}

/** rename(2) within one folder replaces the target in one step: a reader sees the old file or the new one. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new SnapshotStoreError(file, `Could not write ${file}: ${describeError(error)}`, { cause: error });
  }
}
