#!/usr/bin/env node
/**
 * The one check that runs before anything else of atlas-ops, in plain JavaScript any Node.js can load: the
 * `atlas-ops` command (cli/atlas-ops.mjs, so `npx atlas-ops` and `npm start` too) and `npm test` (package.json's
 * `pretest`) need Node.js 24. An older one gets one line saying so and how to get it, exit 2, instead of a
 * stack trace about a `.ts` file. (Not `engines` with `engine-strict`: npm 11's `npx` installs the project
 * into its own cache first, and would stop there with npm's own multi-line engine error; nor `preinstall`,
 * which that install runs too, its output hidden.)
 */
import { pathToFileURL } from 'node:url';

export const REQUIRED_NODE_MAJOR = 24;

/** The line an older Node gets, or undefined when this Node will do. */
export function unsupportedNode(version = process.versions.node) {
  if (Number(version.split('.')[0]) >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `atlas-ops: needs Node.js ${REQUIRED_NODE_MAJOR}, this is v${version}; in the atlas-ops folder run ` +
    `npm ci --prefix .ci/toolchain && export PATH="$PWD/.ci/toolchain/node_modules/.bin:$PATH" ` +
    `(or nvm install ${REQUIRED_NODE_MAJOR}, as .nvmrc says)`
  );
}

// Run as a script (npm's pretest): refuse an older Node.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problem = unsupportedNode();
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exitCode = 2;
  }
}
