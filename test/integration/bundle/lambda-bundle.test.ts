/**
 * What goes into a function's bundle (infra/constructs/lambda-bundle.ts, as CDK builds it). Its settings
 * leave parts of undici out: Milo, and llhttp's non-SIMD build; what that must not cost is checked here too:
 * the bundled Atlas client still speaks HTTP to the simulator and reads what the unbundled client reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE } from '../../../infra/constructs/lambda-bundle.ts';
import { AtlasClient, createAtlasDispatcher, TokenCache } from '../../../shared/atlas/index.ts';
import { useDemoSimulator } from '../../support/simulator.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FUNCTIONS = ['inventory', 'provisioner', 'webhook-intake', 'access-list-sync', 'notifier'];

/** esbuild's options for a function bundle: WorkerFunction's settings (CDK adds ESM and the platform). */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: LAMBDA_BUNDLE.target,
  mainFields: [...LAMBDA_BUNDLE.mainFields],
  minify: LAMBDA_BUNDLE.minify,
  banner: { js: LAMBDA_BUNDLE.banner },
  define: LAMBDA_BUNDLE.define,
  external: [...LAMBDA_BUNDLE.externalModules],
  absWorkingDir: REPO_ROOT,
  metafile: true,
  logLevel: 'error',
} satisfies BuildOptions;

/** The source files that have code in the bundle (esbuild lists tree-shaken ones among its inputs too). */
function bundledFiles(metafile: Metafile | undefined): string[] {
  return Object.values(metafile?.outputs ?? {}).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
}

/** A module that lists every project's name with the Atlas client, as a worker would. */
const ENTRY = `
import { AtlasClient, createAtlasDispatcher, TokenCache } from './shared/atlas/index.ts';
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

type ProjectNames = (baseUrl: string, clientId: string, clientSecret: string) => Promise<string[]>;

describe('a function bundled with the Lambda settings', () => {
  const demo = useDemoSimulator({ token: false });
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-bundle-'));
  let bundled: { projectNames: ProjectNames; files: string[] };

  beforeAll(async () => {
    const outfile = join(dir, 'index.mjs');
    const result = await build({
      ...BUNDLE_OPTIONS,
      stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: 'ts' },
      outfile,
    });
    const module = (await import(pathToFileURL(outfile).href)) as { projectNames: ProjectNames };
    bundled = { projectNames: module.projectNames, files: bundledFiles(result.metafile) };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    const names = await bundled.projectNames(url, clientId, clientSecret);

    // Assert
    expect(expected.length).toBeGreaterThan(0);
    expect(names).toEqual(expected);
  });
});

describe.each(FUNCTIONS)('the %s bundle', (name) => {
  it("carries zod/mini with English messages only: not zod's full build, no other locale", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-bundle-'));

    try {
      // Act
      const { metafile } = await build({
        ...BUNDLE_OPTIONS,
        entryPoints: [join(REPO_ROOT, 'functions', name, 'handler.ts')],
        outfile: join(dir, 'index.mjs'),
        write: false,
      });
      const zod = bundledFiles(metafile).filter((file) => file.includes('node_modules/zod/'));

      // Assert
      expect(zod.some((file) => file.includes('zod/v4/mini/'))).toBe(true);
      expect(zod.filter((file) => /zod\/v4\/(classic\/|locales\/(?!en\.js))/.test(file))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
