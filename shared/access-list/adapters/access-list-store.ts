/**
 * Where the access-list sync keeps its things, beside the inventory's in one bucket:
 *
 * - the desired state, `access-list/desired-state.json` (written by the team; a change starts a run);
 * - the record of the entries the sync added, `access-list/managed-entries.json` (or a file beside the
 *   desired-state file for the CLI);
 * - a report per run, `access-list/reports/YYYY/MM/DD/<run>/report.json` and `report.txt`, then
 *   `access-list/reports/latest.json` pointing at the newest, written last.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AccessListStoreError } from '../../aws/errors.ts';
import {
  type ManagedEntries,
  type ManagedEntriesStore,
  parseManagedEntries,
  serialiseManagedEntries,
} from '../managed-entries.ts';
import type { SyncReport } from '../model.ts';
import type { StoredSyncReport, SyncReportStore } from '../report.ts';

/** The desired-state document as stored. */
export interface DesiredStateDocument {
  text: string;
  /** `s3://bucket/key`. */
  location: string;
  /** The S3 object version (the bucket is versioned), when S3 gives one. */
  versionId?: string;
}

interface S3ObjectOptions {
  s3: S3Client;
  bucket: string;
  key: string;
}

/** Reads the desired-state object. */
export class S3DesiredStateSource {
  readonly #object: S3Object;

  constructor(options: S3ObjectOptions) {
    this.#object = new S3Object(options);
  }

  get location(): string {
    return this.#object.uri;
  }

  /** The document, or undefined when there is none yet. */
  async read(): Promise<DesiredStateDocument | undefined> {
    const found = await this.#object.read();
    if (!found) return undefined;
    return {
      text: found.text,
      location: this.#object.uri,
      ...(found.versionId ? { versionId: found.versionId } : {}),
    };
  }
}

/** The managed-entries record as an S3 object. */
export class S3ManagedEntriesStore implements ManagedEntriesStore {
  readonly #object: S3Object;

  constructor(options: S3ObjectOptions) {
    this.#object = new S3Object(options);
  }

  get location(): string {
    return this.#object.uri;
  }

  async read(): Promise<ManagedEntries> {
    const found = await this.#object.read();
    return found ? parseManagedEntries(found.text, this.location) : {};
  }

  async write(entries: ManagedEntries): Promise<void> {
    await this.#object.write(serialiseManagedEntries(entries), 'application/json');
  }
}

/** The managed-entries record as a local file (the CLI), written whole (temp file + rename). */
export class FileManagedEntriesStore implements ManagedEntriesStore {
  readonly location: string;

  constructor(file: string) {
    this.location = path.resolve(file);
  }

  async read(): Promise<ManagedEntries> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new AccessListStoreError(this.location, `Could not read ${this.location}: ${describe(error)}`, {
        cause: error,
      });
    }
    return parseManagedEntries(text, this.location);
  }

  async write(entries: ManagedEntries): Promise<void> {
    const temp = `${this.location}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(this.location), { recursive: true });
      await writeFile(temp, serialiseManagedEntries(entries), 'utf8');
      await rename(temp, this.location);
    } catch (error) {
      await rm(temp, { force: true });
      throw new AccessListStoreError(this.location, `Could not write ${this.location}: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

export interface S3SyncReportStoreOptions {
  s3: S3Client;
  bucket: string;
  /** Key prefix, e.g. `access-list/reports/`; a missing trailing slash is added. */
  prefix: string;
}

/** Reports in S3: a dated folder per run, then `latest.json` pointing at the newest (written last). */
export class S3SyncReportStore implements SyncReportStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3SyncReportStoreOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    const prefix = options.prefix.replace(/^\/+/, '');
    this.#prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  }

  async write(report: SyncReport, text: string): Promise<StoredSyncReport> {
    const at = new Date(report.generatedAt);
    if (Number.isNaN(at.getTime())) {
      throw new AccessListStoreError(
        this.#uri(this.#prefix),
        'Cannot store a report whose generatedAt is no date',
      );
    }
    const iso = at.toISOString();
    const day = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
    // Two runs in the same millisecond (a change and the schedule, retries) must not overwrite each other.
    const folder = `${this.#prefix}${day}/${iso.replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}/`;
    const keys = { json: `${folder}report.json`, text: `${folder}report.txt` };
    await Promise.all([
      this.#object(keys.json).write(`${JSON.stringify(report, null, 2)}\n`, 'application/json'),
      this.#object(keys.text).write(text, 'text/plain; charset=utf-8'),
    ]);
    const pointer = { generatedAt: report.generatedAt, mode: report.mode, ...keys, totals: report.totals };
    await this.#object(`${this.#prefix}latest.json`).write(
      `${JSON.stringify(pointer, null, 2)}\n`,
      'application/json',
      'no-cache',
    );
    return { location: this.#uri(folder), keys };
  }

  #object(key: string): S3Object {
    return new S3Object({ s3: this.#s3, bucket: this.#bucket, key });
  }

  #uri(key: string): string {
    return `s3://${this.#bucket}/${key}`;
  }
}

/** One S3 object: read (absent is undefined, any other failure an `AccessListStoreError`) and write. */
class S3Object {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #key: string;
  readonly uri: string;

  constructor(options: S3ObjectOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#key = options.key;
    this.uri = `s3://${options.bucket}/${options.key}`;
  }

  async read(): Promise<{ text: string; versionId?: string } | undefined> {
    try {
      const result = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key }));
      const text = (await result.Body?.transformToString('utf-8')) ?? '';
      return { text, ...(result.VersionId ? { versionId: result.VersionId } : {}) };
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw new AccessListStoreError(this.uri, `Could not read ${this.uri}: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  async write(body: string, contentType: string, cacheControl?: string): Promise<void> {
    try {
      await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: this.#key,
          Body: body,
          ContentType: contentType,
          ...(cacheControl ? { CacheControl: cacheControl } : {}),
        }),
      );
    } catch (error) {
      throw new AccessListStoreError(this.uri, `Could not write ${this.uri}: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
