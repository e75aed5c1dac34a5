/**
 * The snapshot stores: S3SnapshotStore through the real AWS SDK against the fauxqs S3 stand-in, and
 * FileSnapshotStore against a temporary folder. Both must behave the same, so most cases run on both.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalS3Client, ensureBucket } from '../../../local/aws/clients.ts';
import { type S3StandIn, startS3StandIn } from '../../../local/aws/s3.ts';
import { SnapshotStoreError } from '../../../shared/aws/errors.ts';
import { FileSnapshotStore, S3SnapshotStore } from '../../../shared/inventory/adapters/snapshot-store.ts';
import type { Snapshot } from '../../../shared/inventory/model.ts';
import type { SnapshotStore, StoredSnapshot } from '../../../shared/inventory/snapshot-store.ts';

/** Lets a test make the file store's writes fail (a full disk), to see what a half-written run leaves. */
const disk = vi.hoisted(() => ({ failWrite: undefined as ((file: string) => boolean) | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile: typeof fs.writeFile = async (file, ...rest) => {
    if (disk.failWrite?.(String(file))) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, open '${String(file)}'`), {
        code: 'ENOSPC',
      });
    }
    return fs.writeFile(file, ...rest);
  };
  return { ...fs, default: { ...fs, writeFile }, writeFile };
});

const BUCKET = 'atlas-ops-snapshots';
const FILES = {
  csv: 'groupId,name\n65f0a0c0ffee000000000001,prod\n',
  html: '<!doctype html><title>Inventory</title>',
};

function snapshotAt(generatedAt: string, clusterName = 'prod'): Snapshot {
  return {
    generatedAt,
    source: { baseUrl: 'https://cloud.mongodb.com' },
    partial: false,
    warnings: [],
    databaseUsers: [],
    projects: [{ id: '65f0a0c0ffee000000000001', name: 'Payments', orgId: '65f0a0c0ffee0000000000aa' }],
    clusters: [
      {
        groupId: '65f0a0c0ffee000000000001',
        projectName: 'Payments',
        name: clusterName,
        id: '65f0a0c0ffee0000000000c1',
        kind: 'dedicated',
        stateName: 'IDLE',
        clusterType: 'REPLICASET',
        mongoDBVersion: '8.0.4',
        mongoDBMajorVersion: '8.0',
        paused: false,
        backupEnabled: true,
        pitEnabled: false,
        terminationProtectionEnabled: true,
        shardCount: 1,
        regions: [
          {
            provider: 'AWS',
            region: 'US_EAST_1',
            instanceSize: 'M30',
            electableNodes: 3,
            readOnlyNodes: 0,
            analyticsNodes: 0,
          },
        ],
        tags: { team: 'payments' },
        createDate: '2025-01-02T03:04:05Z',
      },
    ],
    errors: [],
    unreadProjectIds: [],
    findings: [],
    changes: { added: [], removed: [], changed: [], firstRun: true },
    stats: { atlasCalls: 3, retries: 0, throttled: 0, durationMs: 120 },
  };
}

let s3StandIn: S3StandIn;
let s3: S3Client;
let baseDir: string;
let counter = 0;

/** Raw access to what a store wrote, to corrupt it or check it from outside the store. */
interface Backend {
  name: string;
  /** A store on a fresh prefix or folder; `root` is that prefix or folder. */
  fresh(): Promise<{ store: SnapshotStore; root: string }>;
  /** Where `relative` (e.g. `latest.json`) of a store lives, as the store names it in errors. */
  location(root: string, relative: string): string;
  put(root: string, relative: string, text: string): Promise<void>;
  read(root: string, relative: string): Promise<string>;
  /** `keys.json` of a StoredSnapshot, relative to the store's root. */
  relativeKey(root: string, key: string): string;
}

const s3Backend: Backend = {
  name: 'S3SnapshotStore',
  async fresh() {
    counter += 1;
    const root = `inventory-${counter}/`;
    return { store: new S3SnapshotStore({ s3, bucket: BUCKET, prefix: root }), root };
  },
  location: (root, relative) => `s3://${BUCKET}/${root}${relative}`,
  async put(root, relative, text) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${root}${relative}`, Body: text }));
  },
  async read(root, relative) {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${root}${relative}` }));
    return (await object.Body?.transformToString()) ?? '';
  },
  relativeKey: (root, key) => key.slice(root.length),
};

const fileBackend: Backend = {
  name: 'FileSnapshotStore',
  async fresh() {
    const root = await mkdtemp(path.join(baseDir, 'store-'));
    return { store: new FileSnapshotStore({ dir: root }), root };
  },
  location: (root, relative) => path.join(root, relative),
  async put(root, relative, text) {
    await writeFile(path.join(root, relative), text);
  },
  read: (root, relative) => readFile(path.join(root, relative), 'utf8'),
  relativeKey: (root, key) => path.relative(root, key).split(path.sep).join('/'),
};

async function storeError(promise: Promise<unknown>): Promise<SnapshotStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnapshotStoreError);
  return error as SnapshotStoreError;
}

beforeAll(async () => {
  s3StandIn = await startS3StandIn();
  s3 = createLocalS3Client(s3StandIn.endpoint);
  await ensureBucket(s3, BUCKET);
  baseDir = await mkdtemp(path.join(tmpdir(), 'atlas-ops-snapshots-'));
});

afterEach(() => {
  disk.failWrite = undefined;
});

afterAll(async () => {
  s3.destroy();
  await s3StandIn.close();
  await rm(baseDir, { recursive: true, force: true });
});

describe.each([s3Backend, fileBackend])('$name', (backend) => {
  it('has no latest snapshot before the first write', async () => {
    // Prepare
    const { store } = await backend.fresh();

    // Act
    const latest = await store.readLatest();

    // Assess
    expect(latest).toEqual({ snapshot: undefined, warnings: [] });
  });

  it('reads back the snapshot it wrote, and stores the CSV and HTML as given', async () => {
    // Prepare
    const { store, root } = await backend.fresh();
    const snapshot = snapshotAt('2026-11-29T10:15:30.123Z');

    // Act
    const stored = await store.write(snapshot, FILES);
    const latest = await store.readLatest();

    // Assess
    expect(latest).toEqual({ snapshot, warnings: [] });
    expect(await backend.read(root, backend.relativeKey(root, stored.keys.csv ?? ''))).toBe(FILES.csv);
    expect(await backend.read(root, backend.relativeKey(root, stored.keys.html ?? ''))).toBe(FILES.html);
  });

  it('points latest at the newest of two writes', async () => {
    // Prepare
    const { store } = await backend.fresh();
    await store.write(snapshotAt('2026-11-29T10:00:00Z', 'first'), FILES);

    // Act
    await store.write(snapshotAt('2026-11-29T16:00:00Z', 'second'), FILES);
    const { snapshot: latest } = await store.readLatest();

    // Assess
    expect(latest?.generatedAt).toBe('2026-11-29T16:00:00Z');
    expect(latest?.clusters.map((c) => c.name)).toEqual(['second']);
  });

  it('files each run under its UTC date, in a folder of its own', async () => {
    // Prepare: 23:30 in New York is the next day in UTC.
    const { store, root } = await backend.fresh();
    const snapshot = snapshotAt('2026-11-29T23:30:00.250-05:00');

    // Act
    const first = await store.write(snapshot, FILES);
    const second = await store.write(snapshot, FILES);

    // Assess
    const relative = (key: string) => backend.relativeKey(root, key);
    expect(relative(first.keys.json)).toMatch(
      /^2026\/11\/30\/20261130T043000250Z-[0-9a-f]{8}\/snapshot\.json$/,
    );
    expect(relative(first.keys.csv ?? '')).toMatch(
      /^2026\/11\/30\/20261130T043000250Z-[0-9a-f]{8}\/clusters\.csv$/,
    );
    expect(relative(first.keys.html ?? '')).toMatch(
      /^2026\/11\/30\/20261130T043000250Z-[0-9a-f]{8}\/report\.html$/,
    );
    expect(second.location).not.toBe(first.location);
  });

  it('records the run in a small latest.json pointer', async () => {
    // Prepare
    const { store, root } = await backend.fresh();

    // Act
    const stored = await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);

    // Assess
    const pointer: unknown = JSON.parse(await backend.read(root, 'latest.json'));
    expect(pointer).toEqual({
      generatedAt: '2026-11-29T10:15:30Z',
      snapshot: backend.relativeKey(root, stored.keys.json),
      csv: backend.relativeKey(root, stored.keys.csv ?? ''),
      html: backend.relativeKey(root, stored.keys.html ?? ''),
    });
  });

  it.each([
    ['not JSON', '{"generatedAt": "2026-'],
    ['not a pointer', JSON.stringify({ generatedAt: '2026-11-29T10:15:30Z' })],
  ])(
    'has no previous snapshot, and a warning naming latest.json, when the pointer is %s',
    async (_case, text) => {
      // Prepare
      const { store, root } = await backend.fresh();
      await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);
      await backend.put(root, 'latest.json', text);

      // Act
      const latest = await store.readLatest();

      // Assess
      expect(latest.snapshot).toBeUndefined();
      expect(latest.warnings).toEqual([expect.stringContaining(backend.location(root, 'latest.json'))]);
    },
  );

  it.each([
    ['not JSON', 'snapshot, truncated'],
    ['not a snapshot', JSON.stringify({ generatedAt: '2026-11-29T10:15:30Z', clusters: 'many' })],
  ])('has no previous snapshot, and a warning naming it, when the snapshot is %s', async (_case, text) => {
    // Prepare
    const { store, root } = await backend.fresh();
    const stored = await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);
    const snapshotKey = backend.relativeKey(root, stored.keys.json);
    await backend.put(root, snapshotKey, text);

    // Act
    const latest = await store.readLatest();

    // Assess
    expect(latest.snapshot).toBeUndefined();
    expect(latest.warnings).toEqual([expect.stringContaining(backend.location(root, snapshotKey))]);
  });

  it('has no previous snapshot, and a warning naming the missing one, when latest.json points at nothing', async () => {
    // Prepare
    const { store, root } = await backend.fresh();
    const pointer = {
      generatedAt: '2026-11-29T10:15:30Z',
      snapshot: 'gone/snapshot.json',
      csv: 'a',
      html: 'b',
    };
    await backend.put(root, 'latest.json', JSON.stringify(pointer));

    // Act
    const latest = await store.readLatest();

    // Assess
    expect(latest.snapshot).toBeUndefined();
    expect(latest.warnings).toHaveLength(1);
    expect(latest.warnings[0]).toContain(backend.location(root, 'gone/snapshot.json'));
    expect(latest.warnings[0]).toContain('does not exist');
  });
});

describe('S3SnapshotStore on S3', () => {
  it('stores each object with its content type', async () => {
    // Prepare
    const { store } = await s3Backend.fresh();

    // Act
    const stored = await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);

    // Assess
    const contentType = async (key: string) =>
      (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentType;
    expect(await contentType(stored.keys.json)).toBe('application/json');
    expect(await contentType(stored.keys.csv ?? '')).toBe('text/csv; charset=utf-8');
    expect(await contentType(stored.keys.html ?? '')).toBe('text/html; charset=utf-8');
    expect(stored.location).toMatch(new RegExp(`^s3://${BUCKET}/inventory-\\d+/2026/11/29/[^/]+/$`));
  });

  it('starts writing latest.json only once the whole run is stored', async () => {
    // Prepare: watch the PUTs leave the client and come back.
    const client = createLocalS3Client(s3StandIn.endpoint);
    const events: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = String((args.input as { Key?: string }).Key);
        if (context.commandName === 'PutObjectCommand') events.push(`start ${key}`);
        const result = await next(args);
        if (context.commandName === 'PutObjectCommand') events.push(`done ${key}`);
        return result;
      },
      { step: 'initialize' },
    );
    const store = new S3SnapshotStore({ s3: client, bucket: BUCKET, prefix: 'ordering/' });

    // Act
    await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);

    // Assess
    const pointerStart = events.indexOf('start ordering/latest.json');
    const runDone = events.filter((e) => e.startsWith('done ') && !e.endsWith('latest.json'));
    expect(runDone).toHaveLength(3);
    for (const done of runDone) expect(events.indexOf(done)).toBeLessThan(pointerStart);
    client.destroy();
  });

  it('keeps latest on the previous run when part of a new run fails to store', async () => {
    // Prepare: a client whose CSV upload fails late (after the others landed), on a prefix with a run.
    const { store: healthy, root } = await s3Backend.fresh();
    await healthy.write(snapshotAt('2026-11-29T10:00:00Z', 'first'), FILES);
    const client = createLocalS3Client(s3StandIn.endpoint);
    client.middlewareStack.add(
      (next) => async (args) => {
        if (String((args.input as { Key?: string }).Key).endsWith('clusters.csv')) {
          await sleep(100);
          throw Object.assign(new Error('injected failure'), { name: 'SlowDown' });
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const failing = new S3SnapshotStore({ s3: client, bucket: BUCKET, prefix: root });

    // Act
    const error = await storeError(failing.write(snapshotAt('2026-11-29T16:00:00Z', 'second'), FILES));
    const { snapshot: latest } = await healthy.readLatest();

    // Assess
    expect(error.key).toMatch(/clusters\.csv$/);
    expect(error.message).toContain('SlowDown');
    expect(latest?.clusters.map((c) => c.name)).toEqual(['first']);
    client.destroy();
  });

  it.each([
    ['latest.json', 'AccessDenied'],
    ['snapshot.json', 'AccessDenied'],
    ['snapshot.json', 'SlowDown'],
  ])('fails, naming the key, when reading %s fails with %s', async (file, name) => {
    // Prepare: a stored run, read by a client whose GET of one key fails as S3 would
    const { store: healthy, root } = await s3Backend.fresh();
    await healthy.write(snapshotAt('2026-11-29T10:00:00Z'), FILES);
    const client = createLocalS3Client(s3StandIn.endpoint);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = String((args.input as { Key?: string }).Key);
        if (context.commandName === 'GetObjectCommand' && key.endsWith(file)) {
          throw Object.assign(new Error(`injected ${name}`), { name, $metadata: { httpStatusCode: 403 } });
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const store = new S3SnapshotStore({ s3: client, bucket: BUCKET, prefix: root });

    // Act
    const error = await storeError(store.readLatest());

    // Assess
    expect(error.key.endsWith(file)).toBe(true);
    expect(error.message).toContain(name);
    client.destroy();
  });

  it('adds the missing slash to a prefix', async () => {
    // Prepare
    const store = new S3SnapshotStore({ s3, bucket: BUCKET, prefix: 'no-slash' });

    // Act
    const stored: StoredSnapshot = await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);

    // Assess
    expect(stored.keys.json).toMatch(/^no-slash\/2026\/11\/29\//);
    expect((await store.readLatest()).snapshot).toBeDefined();
  });

  it('fails a write to a missing bucket with the key and the AWS error', async () => {
    // Prepare
    const store = new S3SnapshotStore({ s3, bucket: 'atlas-ops-no-such-bucket', prefix: 'x/' });

    // Act
    const error = await storeError(store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES));

    // Assess
    expect(error.message).toContain('s3://atlas-ops-no-such-bucket/x/2026/11/29/');
    expect(error.message).toContain('NoSuchBucket');
  });
});

describe('FileSnapshotStore on disk', () => {
  it('returns absolute paths to whole files and leaves no temporary files', async () => {
    // Prepare
    const { store, root } = await fileBackend.fresh();

    // Act
    const stored = await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);

    // Assess
    expect(path.isAbsolute(stored.keys.json)).toBe(true);
    expect(JSON.parse(await readFile(stored.keys.json, 'utf8'))).toEqual(snapshotAt('2026-11-29T10:15:30Z'));
    expect(await readdir(stored.location)).toEqual(['clusters.csv', 'report.html', 'snapshot.json']);
    expect((await readdir(root)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('still reads its latest snapshot after the folder is moved', async () => {
    // Prepare
    const { store, root } = await fileBackend.fresh();
    await store.write(snapshotAt('2026-11-29T10:15:30Z'), FILES);
    const moved = `${root}-moved`;
    await rename(root, moved);

    // Act
    const { snapshot: latest } = await new FileSnapshotStore({ dir: moved }).readLatest();

    // Assess
    expect(latest?.generatedAt).toBe('2026-11-29T10:15:30Z');
  });

  it('keeps latest on the previous run when part of a new run fails to store', async () => {
    // Prepare: a folder with a run, then a disk that fills up while the next run's report is written
    const { store, root } = await fileBackend.fresh();
    await store.write(snapshotAt('2026-11-29T10:00:00Z', 'first'), FILES);
    disk.failWrite = (file) => file.includes(`${path.sep}report.html.`);

    // Act
    const error = await storeError(store.write(snapshotAt('2026-11-29T16:00:00Z', 'second'), FILES));
    disk.failWrite = undefined;
    const { snapshot: latest } = await store.readLatest();

    // Assess
    expect(error.key).toMatch(/report\.html$/);
    expect(error.message).toContain('ENOSPC');
    expect(latest?.clusters.map((c) => c.name)).toEqual(['first']);
    expect(JSON.parse(await readFile(path.join(root, 'latest.json'), 'utf8')).generatedAt).toBe(
      '2026-11-29T10:00:00Z',
    );
  });

  it('refuses to follow a pointer that leads out of its folder: no previous snapshot, and a warning', async () => {
    // Prepare
    const { store, root } = await fileBackend.fresh();
    const pointer = {
      generatedAt: '2026-11-29T10:15:30Z',
      snapshot: '../elsewhere.json',
      csv: 'a',
      html: 'b',
    };
    await fileBackend.put(root, 'latest.json', JSON.stringify(pointer));

    // Act
    const latest = await store.readLatest();

    // Assess
    expect(latest.snapshot).toBeUndefined();
    expect(latest.warnings).toEqual([
      expect.stringContaining(`${path.join(root, 'latest.json')} points outside`),
    ]);
  });

  it('fails, naming the file, when latest.json cannot be read for another reason than its absence', async () => {
    // Prepare: latest.json is a folder, which no retry or first run would fix
    const { store, root } = await fileBackend.fresh();
    await mkdir(path.join(root, 'latest.json'));

    // Act
    const error = await storeError(store.readLatest());

    // Assess
    expect(error.key).toBe(path.join(root, 'latest.json'));
  });
});
