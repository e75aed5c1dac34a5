/**
 * `npm run docs:context`: writes the context-key table of docs/deploy.md from infra/context.ts, between its
 * markers, and formats the file as `npm run lint` wants it (Biome aligns the columns); the rest of the file
 * is left as it is. test/infra/deploy-doc.test.ts fails while the two differ.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { hasCurrentContextTable, withContextTable } from './context.ts';

const DOC = fileURLToPath(new URL('../docs/deploy.md', import.meta.url));
const BIOME = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));

const doc = await readFile(DOC, 'utf8');
if (hasCurrentContextTable(doc)) {
  console.error('docs/deploy.md: the context table is up to date');
} else {
  await writeFile(DOC, withContextTable(doc));
  execFileSync(BIOME, ['format', '--write', DOC], { stdio: 'ignore' });
  console.error('docs/deploy.md: context table rewritten from infra/context.ts');
}
