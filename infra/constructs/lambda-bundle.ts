/**
 * How every function is bundled, in one place: WorkerFunction hands these to CDK's esbuild bundling and
 * `npm run bench -- coldstart` builds with the same values, so what the benchmark measures is what deploys.
 * Plain values, no aws-cdk-lib import, so the benchmark loads without the CDK.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** ESM bundles still `require()` Node built-ins from CommonJS dependencies. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const LAMBDA_BUNDLE = {
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  banner: ESM_REQUIRE_BANNER,
  /** Packages replaced in every bundle, by the absolute path of what stands in for them. */
  alias: {
    // The SDK's credential chain as Lambda runs it: the environment's credentials only (the module says why).
    '@aws-sdk/credential-provider-node': fileURLToPath(
      new URL('../../shared/aws/lambda-credentials.ts', import.meta.url),
    ),
    // `node:http` required, not imported: an ES import of it loads Node's own undici (the module says why).
    'node:http': fileURLToPath(new URL('../../shared/lambda/node-http.cjs', import.meta.url)),
    // semver's `gte`, all the X-Ray SDK and cls-hooked call, without the other 29 KB (the module says why).
    semver: fileURLToPath(new URL('../../shared/lambda/semver-gte.cjs', import.meta.url)),
  },
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
  externalModules: ['*/llhttp-wasm.js'],
} as const;

/**
 * The same settings as esbuild's own options, with what CDK adds (bundle, platform, ESM), for code that runs
 * esbuild itself: the cold-start benchmark and the bundle tests. Add the entry and the output.
 */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: LAMBDA_BUNDLE.target,
  mainFields: [...LAMBDA_BUNDLE.mainFields],
  minify: LAMBDA_BUNDLE.minify,
  sourcemap: LAMBDA_BUNDLE.sourceMap,
  banner: { js: LAMBDA_BUNDLE.banner },
  alias: LAMBDA_BUNDLE.alias,
  define: LAMBDA_BUNDLE.define,
  external: [...LAMBDA_BUNDLE.externalModules],
} satisfies BuildOptions;
