/**
 * `npm run bench -- NAME`: runs one benchmark (or all of them) and prints one JSON line each. Benchmarks
 * measure; tests assert. Nothing here runs in `npm test`.
 */
import { benchClient } from './client.ts';
import { benchInventory } from './inventory.ts';
import { benchProvisioning } from './provisioning.ts';
import { benchWebhooks } from './webhooks.ts';

const benchmarks: Record<string, () => Promise<Record<string, unknown>>> = {
  client: benchClient,
  inventory: benchInventory,
  provisioning: benchProvisioning,
  webhooks: benchWebhooks,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
  const result = await benchmarks[name]?.();
  process.stdout.write(`${JSON.stringify({ benchmark: name, ...result })}\n`);
}
