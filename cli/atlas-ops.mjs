#!/usr/bin/env node
/**
 * The `atlas-ops` command's entry (package.json "bin", `npm start`): plain JavaScript that any Node.js can
 * load, so that an older Node says in one line what it needs instead of failing on a `.ts` file with a stack.
 * On Node 24 it runs the command itself, cli/atlas-ops.ts, with Node's own type stripping.
 */
import { unsupportedNode } from './require-node.mjs';

const problem = unsupportedNode();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 2;
} else {
  await import('./atlas-ops.ts');
}
