/**
 * How every function is bundled, in one place: WorkerFunction builds each function's asset with
 * `bundleLambdaSync`, and `npm run bench -- coldstart` and the bundle tests with `bundleLambda`, the same
 * esbuild build, so what the benchmark measures is what deploys.
 *
 * Not CDK's NodejsFunction bundling: that runs esbuild's command line, which takes no plugin, and the stand-ins
 * for undici's own modules below need one (esbuild's `alias` reaches package paths only, not the relative
 * `require('./client-h2.js')` of one undici module by another). No aws-cdk-lib import either, so the benchmark
 * loads without the CDK. Run as a script, it bundles one function: `node lambda-bundle.ts <entry> <outdir>`.
 *
 * esbuild's output is then finished here: each module's body put in parentheses, for V8 to compile it once
 * (eager-module-compile.ts), and the map's sources named from the repository root.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { awsSdkBundling } from './aws-sdk-bundling.ts';
import { compileModuleBodiesEagerly, type SourceMapJson } from './eager-module-compile.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const standIn = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The bundle's file in the function's asset, and the function's handler: its `handler` export. */
export const BUNDLE_FILE = 'index.mjs';
export const LAMBDA_HANDLER = 'index.handler';

/** ESM bundles still `require()` Node built-ins from CommonJS dependencies. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Packages replaced in every bundle, by the absolute path of what stands in for them. */
const PACKAGE_STAND_INS = {
  // The SDK's credential chain as Lambda runs it: the environment's credentials only (the module says why).
  '@aws-sdk/credential-provider-node': standIn('shared/aws/lambda-credentials.ts'),
  // `node:http` required, not imported: an ES import of it loads Node's own undici (the module says why).
  'node:http': standIn('shared/lambda/node-http.cjs'),
  // semver's `gte`, all the X-Ray SDK and cls-hooked call, without the other 29 KB (the module says why).
  semver: standIn('shared/lambda/semver-gte.cjs'),
  // cls-hooked on AsyncLocalStorage: no process-wide async hook slowing every promise (the module says why).
  'cls-hooked/context': standIn('shared/lambda/cls-hooked-context.cjs'),
};

/**
 * Modules of undici that its other modules `require()` by relative path, replaced in every bundle: the key is
 * the module's path under node_modules, the value what stands in for it.
 */
const UNDICI_STAND_INS: Readonly<Record<string, string>> = {
  // HTTP/2: 18 KB, and `node:http2` loaded at every cold start, for a protocol our agents never offer
  // (shared/atlas/undici.ts creates every Agent with `allowH2: false`).
  'undici/lib/dispatcher/client-h2.js': standIn('shared/lambda/undici-without-h2.cjs'),
  // fetch's FormData and WebIDL (43 KB with what they require, and `node:worker_threads`), which undici's
  // request API reaches only for a FormData body; the workers send strings.
  'undici/lib/web/fetch/body.js': standIn('shared/lambda/undici-without-formdata.cjs'),
  'undici/lib/web/fetch/formdata.js': standIn('shared/lambda/undici-without-formdata.cjs'),
  'undici/lib/web/webidl/index.js': standIn('shared/lambda/undici-without-formdata.cjs'),
};

/** Replaces each of UNDICI_STAND_INS's modules, whichever undici module requires it. */
const undiciStandIns: Plugin = {
  name: 'undici-stand-ins',
  setup(builder) {
    const resolving = Symbol('resolving');
    // undici's modules require these by relative path, e.g. `require('../web/fetch/body.js')`.
    builder.onResolve(
      { filter: /^\.\.?\/.*(client-h2|body|formdata|webidl)(\.js|\/index\.js)?$/ },
      async (args) => {
        if (args.pluginData === resolving) return undefined;
        const resolved = await builder.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: resolving,
        });
        const [, modulePath] = resolved.path.split(`${sep}node_modules${sep}`);
        const replacement = modulePath && UNDICI_STAND_INS[modulePath.split(sep).join('/')];
        return replacement ? { path: replacement } : resolved;
      },
    );
  },
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
  // zip (the provisioner's: 970 KB with it, 479 KB without), which Lambda downloads at every cold start. The
  // sources are in the repository, under the names the map gives them.
  sourcesContent: false,
  banner: { js: ESM_REQUIRE_BANNER },
  alias: PACKAGE_STAND_INS,
  // The AWS SDK's schemas made tree-shakeable, its package.json files cut to the version, its event streams
  // left out (aws-sdk-bundling.ts says why).
  plugins: [undiciStandIns, awsSdkBundling],
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
   */
  external: ['*/llhttp-wasm.js'],
} satisfies BuildOptions;

/** The options as esbuild's defaults would have them: no stand-in of this project (the benchmark's baseline). */
const STANDARD_ESBUILD_OPTIONS = {
  ...LAMBDA_ESBUILD_OPTIONS,
  alias: {},
  plugins: [],
} satisfies BuildOptions;

/** How a bundle is built: esbuild's options, and what is done to its output. */
export interface BundleSettings {
  /** esbuild's options, without the entry and the output. */
  esbuild: BuildOptions;
  /** Whether each module's body is put in parentheses, for V8 to compile it once (eager-module-compile.ts). */
  eagerModuleBodies: boolean;
}

/** Every function's bundle. */
export const LAMBDA_BUNDLE_SETTINGS: BundleSettings = {
  esbuild: LAMBDA_ESBUILD_OPTIONS,
  eagerModuleBodies: true,
};

/** A bundle as esbuild alone builds it (the benchmark's baseline). */
export const STANDARD_BUNDLE_SETTINGS: BundleSettings = {
  esbuild: STANDARD_ESBUILD_OPTIONS,
  eagerModuleBodies: false,
};

export interface LambdaBundle {
  /** The bundle's path: `<outdir>/index.mjs`, its source map beside it. */
  file: string;
  bytes: number;
  metafile: Metafile;
  /** How many of its modules' bodies are in parentheses (eager-module-compile.ts). */
  eagerModules: number;
}

/** Bundles `entry` (a path, or a module's text resolved from the repository root) into `outdir`. */
export async function bundleLambda(
  entry: string | { contents: string },
  outdir: string,
  settings: BundleSettings = LAMBDA_BUNDLE_SETTINGS,
): Promise<LambdaBundle> {
  mkdirSync(outdir, { recursive: true });
  const file = resolve(outdir, BUNDLE_FILE);
  const { metafile, outputFiles } = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: REPO_ROOT, loader: 'js' } }),
    ...settings.esbuild,
    outfile: file,
    absWorkingDir: REPO_ROOT,
    metafile: true,
    // Written below, once the output is final.
    write: false,
    // A failure is thrown with esbuild's messages in it, not also printed.
    logLevel: 'silent',
  });
  const codeFile = outputFiles.find((output) => output.path === file);
  const mapFile = outputFiles.find((output) => output.path === `${file}.map`);
  if (!codeFile || !mapFile) throw new Error(`esbuild wrote no ${BUNDLE_FILE} and source map for it`);
  let code = codeFile.text;
  let map = JSON.parse(mapFile.text) as SourceMapJson;
  let eagerModules = 0;
  if (settings.eagerModuleBodies) {
    ({ code, map, modules: eagerModules } = compileModuleBodiesEagerly(code, map));
  }
  writeFileSync(mapFile.path, JSON.stringify(sourcesFromRepositoryRoot(map, resolve(outdir))));
  writeFileSync(file, code);
  return { file, bytes: Buffer.byteLength(code), metafile, eagerModules };
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
    process.stderr.write('usage: node infra/constructs/lambda-bundle.ts <entry> <outdir>\n');
    process.exit(2);
  }
  try {
    await bundleLambda(entry, outdir);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
