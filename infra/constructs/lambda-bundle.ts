/**
 * How every function is bundled, in one place: WorkerFunction hands these to CDK's esbuild bundling and
 * `npm run bench -- coldstart` builds with the same values, so what the benchmark measures is what deploys.
 * Plain values, no aws-cdk-lib import, so the benchmark loads without the CDK.
 */

/** ESM bundles still `require()` Node built-ins from CommonJS dependencies. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const LAMBDA_BUNDLE = {
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  banner: ESM_REQUIRE_BANNER,
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
