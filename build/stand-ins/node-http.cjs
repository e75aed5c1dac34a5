/**
 * `node:http` for function bundles, as CommonJS (build/lambda-bundle.ts aliases `node:http` to this file).
 * An ES module's `import http from 'node:http'` builds an ES facade of the module, which reads every export —
 * among them the lazy getters behind which Node keeps its own copy of undici (`WebSocket`, `CloseEvent`,
 * `MessageEvent`) — and so loads and compiles that copy at every cold start, for classes no worker uses. The
 * Powertools Tracer imports `node:http` that way (to trace HTTP calls). `process.getBuiltinModule` hands over
 * the same module object without the facade, and those getters stay lazy; unlike `require('node:http')`,
 * which the alias would send back here, it resolves nothing. docs/cold-start.md has what it buys as measured.
 */
module.exports = process.getBuiltinModule('node:http');
