#!/usr/bin/env node
/**
 * The `atlas-ops` command's entry (package.json "bin", `npm start`): plain JavaScript that any Node.js can
 * load, so that an older Node says in one line what it needs instead of failing on a `.ts` file with a stack.
 * On Node 24 it runs the command itself, cli/atlas-ops.ts, with Node's own type stripping.
 */
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);

if (major >= REQUIRED_MAJOR) {
  await import('./atlas-ops.ts');
} else {
  process.stderr.write(
    `atlas-ops: needs Node.js ${REQUIRED_MAJOR}, this is v${process.versions.node}; in the atlas-ops folder run ` +
      `npm ci --prefix .ci/toolchain && export PATH="$PWD/.ci/toolchain/node_modules/.bin:$PATH" ` +
      `(or nvm install ${REQUIRED_MAJOR}, as .nvmrc says)\n`,
  );
  process.exitCode = 2;
}
