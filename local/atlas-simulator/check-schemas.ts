/**
 * Development check (`npm run check:schemas -- [--seed demo|large:PxC] [--spec PATH]`): every response the
 * simulator gives against MongoDB's official OpenAPI schemas (see schema-check.ts). `npm test` runs the same
 * check through test/integration/simulator/schemas.test.ts. Exits 1 when a response does not match.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkSchemas, DEFAULT_SPEC_PATH } from './schema-check.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: 'demo' },
    spec: { type: 'string', default: DEFAULT_SPEC_PATH },
  },
});

const specPath = String(values.spec);
if (!existsSync(specPath)) {
  process.stderr.write(`check:schemas: no spec at ${specPath} (pass --spec PATH)\n`);
  process.exit(2);
}
const { responsesChecked, failures, specFixes } = await checkSchemas({
  specPath,
  seed: String(values.seed),
});
process.stdout.write(`${JSON.stringify({ responsesChecked, failures: failures.length, specFixes })}\n`);
for (const failure of failures) process.stdout.write(`FAIL ${failure}\n`);
process.exitCode = failures.length === 0 ? 0 : 1;
