/**
 * How every function is bundled, in one place: WorkerFunction builds each function's asset with
 * `bundleLambdaSync`, and `npm run bench -- coldstart` and the bundle tests with `bundleLambda`, the same
 * esbuild build, so what the benchmark measures is what deploys. The build lives here, out of the folders
 * that run in Lambda: only infra/, bench/ and the tests import build/ (test/architecture/imports.test.ts).
 *
 * Not CDK's NodejsFunction bundling: that runs esbuild's command line, which takes no plugin, and the AWS
 * SDK's schema modules are rewritten by one as they load (aws-sdk-bundling.ts). No aws-cdk-lib import either,
 * so the benchmark loads without the CDK. Run as a script, it bundles one function:
 * `node build/lambda-bundle.ts <entry> <outdir>`.
 *
 * Each decision here is a record of docs/cold-start.md, with what it buys as measured and when to remove it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { awsSdkBundling } from './aws-sdk-bundling.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const standIn = (file: string) => fileURLToPath(new URL(`./stand-ins/${file}`, import.meta.url));

/** The bundle's file in the function's asset, and the function's handler: its `handler` export. */
export const BUNDLE_FILE = 'index.mjs';
export const LAMBDA_HANDLER = 'index.handler';

/** ESM bundles still `require()` Node built-ins from CommonJS dependencies. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Packages replaced in every bundle, by the absolute path of what stands in for them. Each is a package's
 * public entry or a Node built-in, never a module inside a dependency, so an upgrade cannot move it.
 */
const PACKAGE_STAND_INS = {
  // The SDK's credential chain as Lambda runs it: the environment's credentials only (the module says why).
  '@aws-sdk/credential-provider-node': standIn('lambda-credentials.ts'),
  // `node:http` required, not imported: an ES import of it loads Node's own undici (the module says why).
  'node:http': standIn('node-http.cjs'),
};

/**
 * esbuild's options for every function, with what CDK's bundling used to add (bundle, platform, ESM). Add the
 * entry and the output.
 */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  // Beside the bundle, read only when an error's stack is formatted (shared/lambda/stack-traces.ts), never at
  // a cold start (no --enable-source-maps); its sources are named from the repository root (bundleLambda).
  sourcemap: true,
  // Without the sources' text: a stack needs only the positions, and the text would double the function's
  // zip, which Lambda downloads at every cold start. The sources are in the repository, under the names the
  // map gives them.
  sourcesContent: false,
  banner: { js: ESM_REQUIRE_BANNER },
  alias: PACKAGE_STAND_INS,
  // The AWS SDK's schemas made tree-shakeable, its package.json files cut to the version, its event streams
  // left out (aws-sdk-bundling.ts says why, and which upstream fix retires it).
  plugins: [awsSdkBundling],
  define: {
    // undici's own build for Node core sets this to leave out Milo, its experimental HTTP/1 parser (two WASM
    // builds, 165 KB of every bundle that carries undici), which is off unless UNDICI_USE_MILO is set
    // (undici/lib/dispatcher/client-h1.js and parser-h1.js); llhttp, the default parser, stays.
    esbuildDetection: 'true',
  },
  /**
   * Nothing is external — the pinned AWS SDK ships rather than whatever version the runtime carries — except
   * llhttp's non-SIMD WASM build (72 KB): undici loads it only when the SIMD build fails to compile, which is
   * never on Lambda's x86_64 and arm64 (undici/lib/dispatcher/client-h1.js `lazyllhttp`). Were it ever
   * needed, the first request would fail with "Cannot find module '../llhttp/llhttp-wasm.js'", not misbehave.
   * test/integration/bundle/lambda-bundle.test.ts fails if an undici upgrade renames either build.
   */
  external: ['*/llhttp-wasm.js'],
} satisfies BuildOptions;

/** The options as esbuild's defaults would have them: no stand-in and no plugin (the benchmark's baseline). */
export const STANDARD_ESBUILD_OPTIONS = {
  ...LAMBDA_ESBUILD_OPTIONS,
  alias: {},
  plugins: [],
} satisfies BuildOptions;

/** A source map as esbuild writes it (version 3); only `sources` is touched here. */
interface SourceMapJson {
  sources: string[];
  [field: string]: unknown;
}

export interface LambdaBundle {
  /** The bundle's path: `<outdir>/index.mjs`, its source map beside it. */
  file: string;
  bytes: number;
  metafile: Metafile;
}

/**
 * Bundles `entry` (a path, or a module's text resolved from the repository root) into `outdir`, with
 * `options` (esbuild's, without the entry and the output; every function's by default).
 */
export async function bundleLambda(
  entry: string | { contents: string },
  outdir: string,
  options: BuildOptions = LAMBDA_ESBUILD_OPTIONS,
): Promise<LambdaBundle> {
  mkdirSync(outdir, { recursive: true });
  const file = resolve(outdir, BUNDLE_FILE);
  const { metafile, outputFiles } = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: REPO_ROOT, loader: 'js' } }),
    ...options,
    outfile: file,
    absWorkingDir: REPO_ROOT,
    metafile: true,
    // Written below, the map's sources renamed.
    write: false,
    // A failure is thrown with esbuild's messages in it, not also printed.
    logLevel: 'silent',
  });
  const codeFile = outputFiles.find((output) => output.path === file);
  const mapFile = outputFiles.find((output) => output.path === `${file}.map`);
  if (!codeFile || !mapFile) throw new Error(`esbuild wrote no ${BUNDLE_FILE} and source map for it`);
  const map = JSON.parse(mapFile.text) as SourceMapJson;
  writeFileSync(mapFile.path, JSON.stringify(sourcesFromRepositoryRoot(map, resolve(outdir))));
  writeFileSync(file, codeFile.contents);
  return { file, bytes: codeFile.contents.byteLength, metafile };
}

/**
 * The source map `map`, its sources named from the repository root. esbuild names each by its path from the
 * bundle's folder (`../../../work/…/shared/x.ts`), which depends on where the bundle was built; from the
 * repository root (`shared/x.ts`, `node_modules/…`) it reads well in a stack trace and is the same on every
 * machine, so the asset's hash is too.
 */
function sourcesFromRepositoryRoot(map: SourceMapJson, folder: string): SourceMapJson {
  return {
    ...map,
    sources: map.sources.map((source) => relative(REPO_ROOT, resolve(folder, source)).split(sep).join('/')),
  };
}

/**
 * `bundleLambda`, synchronously, as CDK's local bundling needs it: this module run as a script in a child
 * process (esbuild's synchronous API takes no plugin). Throws with esbuild's messages when the build fails.
 */
export function bundleLambdaSync(entry: string, outdir: string): void {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), entry, outdir], {
    encoding: 'utf8',
  });
  if (child.status !== 0) {
    throw new Error(`Bundling ${entry} failed:\n${child.stderr || child.error?.message || ''}`.trim());
  }
}

if (import.meta.main) {
  const [entry, outdir] = process.argv.slice(2);
  if (!entry || !outdir) {
    process.stderr.write('usage: node build/lambda-bundle.ts <entry> <outdir>\n');
    process.exit(2);
  }
  try {
    await bundleLambda(entry, outdir);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
