/**
 * Stands in for three modules of undici's fetch (undici/lib/web/fetch/body.js, web/fetch/formdata.js and
 * web/webidl/index.js) in function bundles (infra/constructs/lambda-bundle.ts `UNDICI_STAND_INS`): undici's
 * request API requires them only for a FormData request body, and with what they require they are 43 KB and
 * `node:worker_threads` at every cold start. The workers send strings. A FormData body is refused by undici's
 * Request with "body must be a FormData created by this undici package instance", since no FormData is
 * undici's here; `extractBody`, which only such a body reaches, says why if it is ever called.
 */
'use strict';

module.exports = {
  // undici/lib/core/request.js: `require('../web/webidl').webidl.is.FormData`.
  webidl: { is: { FormData: () => false } },
  // undici/lib/dispatcher/client-h1.js: `require('../web/fetch/body.js').extractBody`.
  extractBody() {
    throw new Error("This bundle leaves out undici's FormData bodies: send a string or a Buffer.");
  },
};
