/**
 * `semver` for function bundles (infra/constructs/lambda-bundle.ts aliases `semver` to this file): the one
 * function the bundled code calls, `gte`. Only the X-Ray SDK under the Powertools Tracer asks for semver — to
 * check the AWS SDK v2's version in `captureAWS`, which the workers never call (they trace the v3 clients);
 * the bundles carry no cls-hooked, its other caller (./cls-hooked-context.cjs) — and the whole
 * package is 29 KB and 86 regular expressions built at every cold start. Release versions
 * (`major.minor.patch`, an optional `v`) compare as semver does; anything after the patch number (a
 * prerelease tag) is not considered, and no caller passes one (test/unit/shared/lambda/semver-gte.test.ts).
 */

/** `[major, minor, patch]` of a version string; throws as semver does on one that is not a version. */
function parts(version) {
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)/.exec(String(version));
  if (!match) throw new TypeError(`Invalid Version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether version `a` is the same as or later than version `b`. */
function gte(a, b) {
  const left = parts(a);
  const right = parts(b);
  for (let i = 0; i < 3; i += 1) {
    if (left[i] !== right[i]) return left[i] > right[i];
  }
  return true;
}

module.exports = { gte };
