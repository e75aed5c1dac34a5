/**
 * Stands in for undici's HTTP/2 client (undici/lib/dispatcher/client-h2.js) in function bundles
 * (infra/constructs/lambda-bundle.ts `UNDICI_STAND_INS`): that module is 18 KB and loads `node:http2` at every
 * cold start (5 ms on the benchmark machine), for a protocol the workers never speak. Every Agent is created
 * with `allowH2: false` (shared/atlas/undici.ts), so TLS offers `http/1.1` alone (undici/lib/core/connect.js
 * `ALPNProtocols`) and undici's Client calls this only if a server answered with h2 all the same; the
 * connection then fails with this message rather than misbehaving.
 */
'use strict';

module.exports = function connectH2() {
  throw new Error(
    "This bundle leaves out undici's HTTP/2 client: create Agents through shared/atlas/undici.ts (allowH2: false).",
  );
};
