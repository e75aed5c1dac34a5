/**
 * What goes into a function's bundle (build/lambda-bundle.ts, as CDK builds it). Its settings leave parts of
 * undici out (Milo, llhttp's non-SIMD build) and the SDK's credential chain but the environment's; what that
 * must not cost is checked here too: the bundled Atlas client still speaks HTTP to the simulator and reads
 * what the unbundled client reads, and the bundled SDK finds Lambda's credentials.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMON_ENV, FUNCTIONS } from '../../../bench/coldstart.ts';
import { bundleLambda, bundleLambdaSync } from '../../../build/lambda-bundle.ts';
import { AtlasClient, createAtlasDispatcher, TokenCache } from '../../../shared/atlas/index.ts';
import { useDemoSimulator } from '../../support/simulator.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The source files that have code in the bundle (esbuild lists tree-shaken ones among its inputs too). */
function bundledFiles(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
}

/**
 * A module that lists every project's name with the Atlas client, as a worker would, and tells the
 * credentials an AWS SDK client finds.
 */
const ENTRY = `
import { SQSClient } from '@aws-sdk/client-sqs';
import { AtlasClient, createAtlasDispatcher, TokenCache } from './shared/atlas/index.ts';
export function sdkCredentials() {
  return new SQSClient({ region: 'eu-west-1' }).config.credentials();
}
export async function projectNames(baseUrl, clientId, clientSecret) {
  const atlas = new AtlasClient({
    credentials: { clientId, clientSecret },
    baseUrl,
    dispatcher: createAtlasDispatcher({ connections: 2 }),
    tokenCache: new TokenCache(),
    logger: { debug() {}, warn() {} },
  });
  return (await Array.fromAsync(atlas.projects.list())).map((project) => project.name);
}
`;

interface BundledEntry {
  projectNames(baseUrl: string, clientId: string, clientSecret: string): Promise<string[]>;
  sdkCredentials(): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
}

describe('a function bundled with the Lambda settings', () => {
  const demo = useDemoSimulator({ token: false });
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-bundle-'));
  let bundled: { entry: BundledEntry; files: string[] };

  beforeAll(async () => {
    const built = await bundleLambda({ contents: ENTRY }, dir);
    const entry = (await import(pathToFileURL(built.file).href)) as BundledEntry;
    bundled = { entry, files: bundledFiles(built.metafile) };
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  it('carries neither Milo nor the non-SIMD llhttp build', () => {
    // Act
    const inputs = bundled.files;

    // Assert
    expect(inputs.some((file) => file.includes('undici/lib/llhttp/llhttp_simd-wasm.js'))).toBe(true);
    expect(inputs.filter((file) => /undici\/lib\/(milo\/|llhttp\/llhttp-wasm\.js)/.test(file))).toEqual([]);
  });

  it('reads the same projects over real HTTP as the unbundled client', async () => {
    // Prepare
    const { url, clientId, clientSecret } = demo.sim;
    const unbundled = new AtlasClient({
      credentials: { clientId, clientSecret },
      baseUrl: url,
      dispatcher: createAtlasDispatcher({ connections: 2 }),
      tokenCache: new TokenCache(),
      logger: { debug() {}, warn() {} },
    });
    const expected = (await Array.fromAsync(unbundled.projects.list())).map((project) => project.name);

    // Act
    const names = await bundled.entry.projectNames(url, clientId, clientSecret);

    // Assert
    expect(expected.length).toBeGreaterThan(0);
    expect(names).toEqual(expected);
  });

  it('finds AWS credentials in the environment, as Lambda gives them, without the rest of the SDK chain', async () => {
    // Prepare: what Lambda puts in every function's environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLEBUNDLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'bundle-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'bundle-session');

    // Act
    const credentials = await bundled.entry.sdkCredentials();

    // Assert
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLEBUNDLE',
      secretAccessKey: 'bundle-secret',
      sessionToken: 'bundle-session',
    });
    expect(
      bundled.files.filter((file) => /@aws-sdk\/(credential-provider-node|nested-clients)\//.test(file)),
    ).toEqual([]);
  });
});

describe.each(FUNCTIONS)('the $name bundle', ({ name, env }) => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-bundle-'));
  let built: Awaited<ReturnType<typeof bundleLambda>>;

  beforeAll(async () => {
    built = await bundleLambda(join(REPO_ROOT, 'functions', name, 'handler.ts'), dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("carries zod/mini with English messages only: not zod's full build, no other locale", () => {
    // Act
    const zod = bundledFiles(built.metafile).filter((file) => file.includes('node_modules/zod/'));

    // Assert
    expect(zod.some((file) => file.includes('zod/v4/mini/'))).toBe(true);
    expect(zod.filter((file) => /zod\/v4\/(classic\/|locales\/(?!en\.js))/.test(file))).toEqual([]);
  });

  it("carries the environment's credentials in place of the SDK's credential chain", () => {
    // Act
    const files = bundledFiles(built.metafile);

    // Assert
    expect(files).toContain('build/stand-ins/lambda-credentials.ts');
    expect(
      files.filter((file) => /@aws-sdk\/(credential-provider-node|nested-clients)\//.test(file)),
    ).toEqual([]);
  });

  /** What builtinsAtStart has found, by `POWERTOOLS_TRACE_ENABLED`. */
  const builtinsByTracing = new Map<string, string[]>();

  /**
   * The Node built-ins loaded once the function's module is, loaded as Lambda loads it, with tracing on
   * (COMMON_ENV's) or off: one fresh process for each setting, whichever test asks first.
   */
  function builtinsAtStart(tracing: 'true' | 'false' = 'true'): string[] {
    const known = builtinsByTracing.get(tracing);
    if (known) return known;
    const script = `await import(${JSON.stringify(pathToFileURL(built.file).href)});
      process.stdout.write(JSON.stringify(process.moduleLoadList));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...COMMON_ENV, ...env, POWERTOOLS_TRACE_ENABLED: tracing },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    const builtins = JSON.parse(child.stdout) as string[];
    builtinsByTracing.set(tracing, builtins);
    return builtins;
  }

  it("starts without loading Node's own copy of undici", () => {
    // Act
    const builtins = builtinsAtStart();

    // Assert
    expect(builtins.filter((m) => m.includes('deps/undici'))).toEqual([]);
  });

  it('loads the X-Ray SDK (and its UDP socket module) only when tracing is on', () => {
    // Act
    const traced = builtinsAtStart('true');
    const untraced = builtinsAtStart('false');

    // Assert: dgram is what the X-Ray SDK's segment emitter requires, and nothing else in a worker does.
    expect(traced).toContain('NativeModule dgram');
    expect(untraced).not.toContain('NativeModule dgram');
  });
});

describe('bundleLambdaSync (how CDK bundles a function)', () => {
  it('fails with a message that names the entry and what esbuild could not do', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-bundle-'));
    const entry = join(REPO_ROOT, 'functions', 'no-such-worker', 'handler.ts');

    // Act
    const bundling = () => bundleLambdaSync(entry, dir);

    // Assert
    try {
      expect(bundling).toThrow(/^Bundling \S+no-such-worker\/handler\.ts failed:\n.*Could not resolve/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
